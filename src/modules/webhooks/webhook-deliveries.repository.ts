import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { DeliveryStatus, WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';

const OPEN: DeliveryStatus[] = ['pending', 'retrying'];

/** What an attempt needs of a delivery. */
export type ClaimedDelivery = Pick<WebhookDelivery, 'id' | 'tenantId' | 'endpointId' | 'eventId' | 'eventType' | 'body' | 'attempts' | 'maxAttempts'> & {
  endpoint?: WebhookEndpoint;
};

const INSERT_COLUMNS: Array<[string, keyof WebhookDelivery]> = [
  ['id', 'id'], ['tenant_id', 'tenantId'], ['endpoint_id', 'endpointId'], ['event_id', 'eventId'], ['event_type', 'eventType'], ['body', 'body'],
  ['status', 'status'], ['attempts', 'attempts'], ['max_attempts', 'maxAttempts'], ['next_attempt_at', 'nextAttemptAt'],
  ['locked_until', 'lockedUntil'], ['claim_token', 'claimToken'], ['created_at', 'createdAt'], ['updated_at', 'updatedAt'],
];

/**
 * The only place that touches TypeORM for webhook deliveries. The statements on the delivery hot path (insert,
 * load, record success) are plain SQL on SQLite and Postgres, where TypeORM's query building and entity hydration
 * cost more than the statements themselves; parameters still go through the driver's escaping.
 */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(private readonly ds: DataSource) {}

  private get plainSql(): boolean {
    return this.ds.options.type === 'better-sqlite3' || this.ds.options.type === 'postgres';
  }

  /** Runs SQL with :named parameters (driver placeholders, dates and arrays converted by the driver). */
  private run(m: EntityManager, sql: string, params: Record<string, unknown>): Promise<unknown> {
    const [query, values] = this.ds.driver.escapeQueryWithParameters(sql, params, {});
    return m.query(query, values);
  }

  /** Inserts deliveries; one that already exists for (endpoint, event) is left alone (uq_webhook_deliveries_endpoint_event). */
  async insertIgnoringDuplicates(rows: Array<Partial<WebhookDelivery>>): Promise<void> {
    if (!rows.length) return;
    // Timestamps from the application (ms precision), as keyset pages on created_at need.
    const now = new Date();
    const values = rows.map((r) => ({ lockedUntil: null, claimToken: null, nextAttemptAt: null, createdAt: now, updatedAt: now, ...r }));
    if (!this.plainSql) {
      await this.ds.manager.createQueryBuilder().insert().into(WebhookDelivery).values(values as never).orIgnore().updateEntity(false).execute();
      return;
    }
    const params: Record<string, unknown> = {};
    const tuples = values.map((v, i) => `(${INSERT_COLUMNS.map(([, prop], j) => ((params[`p${i}_${j}`] = v[prop] ?? null), `:p${i}_${j}`)).join(', ')})`);
    await this.run(this.ds.manager, `INSERT INTO webhook_deliveries (${INSERT_COLUMNS.map(([c]) => c).join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`, params);
  }

  /**
   * Takes deliveries for one attempt each, under `token`. Only due, open deliveries that no live claim holds are
   * taken (a claim whose worker died expires), so duplicate jobs never send a delivery twice at once. Status and
   * indexed columns stay as they are: a claim costs no index maintenance.
   */
  async claim(ids: string[], token: string, now: Date, lockedUntil: Date): Promise<void> {
    if (!ids.length) return;
    await this.ds.manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ lockedUntil, claimToken: token })
      .where('id IN (:...ids) AND status IN (:...open)', { ids, open: OPEN })
      .andWhere('(next_attempt_at IS NULL OR next_attempt_at <= :now) AND (locked_until IS NULL OR locked_until < :now)', { now })
      .execute();
  }

  /** The deliveries among `ids` that `token` holds (primary key lookups). */
  async findClaimed(ids: string[], token: string): Promise<ClaimedDelivery[]> {
    if (!ids.length) return [];
    if (!this.plainSql) return this.ds.manager.find(WebhookDelivery, { where: { id: In(ids), claimToken: token } });
    const rows = (await this.run(
      this.ds.manager,
      'SELECT id, tenant_id, endpoint_id, event_id, event_type, body, attempts, max_attempts FROM webhook_deliveries WHERE id IN (:...ids) AND claim_token = :token',
      { ids, token },
    )) as Array<Record<string, string | number>>;
    return rows.map((r) => ({
      id: String(r.id), tenantId: String(r.tenant_id), endpointId: String(r.endpoint_id), eventId: String(r.event_id), eventType: String(r.event_type),
      body: String(r.body), attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
    }));
  }

  /**
   * Records the outcomes of one claim: the successes in a single statement (their answer codes and times per row
   * through CASE), anything else row by row; each row's outcome stands on its own, so no transaction is needed
   * (and on SQLite, whose one connection TypeORM shares, concurrent transactions would trip over each other's
   * savepoints). A row whose claim moved on (its lock expired and another worker took it) is left alone.
   */
  async recordOutcomes(token: string, successes: Array<{ id: string; status: number; timeMs: number }>, others: Array<{ id: string; patch: Partial<WebhookDelivery> }>, now: Date): Promise<void> {
    if (successes.length) await this.recordSuccesses(token, successes, now);
    for (const o of others) {
      await this.ds.manager.createQueryBuilder().update(WebhookDelivery).set(o.patch).where('id = :id AND claim_token = :token', { id: o.id, token }).execute();
    }
  }

  private async recordSuccesses(token: string, successes: Array<{ id: string; status: number; timeMs: number }>, now: Date): Promise<void> {
    const params: Record<string, unknown> = { token, ids: successes.map((s) => s.id), now };
    successes.forEach((s, i) => (params[`w${i}`] = s.id));
    // Codes and times are integers we measured, so they go in as literals; ids stay parameters.
    const caseOf = (value: (s: (typeof successes)[number]) => number): string =>
      `CASE id ${successes.map((s, i) => `WHEN :w${i} THEN ${Math.round(value(s))}`).join(' ')} END`;
    const statusCase = caseOf((s) => s.status);
    const timeCase = caseOf((s) => s.timeMs);
    if (this.plainSql) {
      await this.run(
        this.ds.manager,
        `UPDATE webhook_deliveries SET status = 'succeeded', attempts = attempts + 1, last_attempt_at = :now, delivered_at = :now, next_attempt_at = NULL,
           locked_until = NULL, claim_token = NULL, last_error = NULL, response_status = ${statusCase}, response_time_ms = ${timeCase}, updated_at = :now
         WHERE id IN (:...ids) AND claim_token = :token`,
        params,
      );
      return;
    }
    await this.ds.manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({
        status: 'succeeded', attempts: () => 'attempts + 1', lastAttemptAt: now, deliveredAt: now, nextAttemptAt: null, lockedUntil: null,
        claimToken: null, lastError: null, responseStatus: () => statusCase, responseTimeMs: () => timeCase,
      } as never)
      .where('id IN (:...ids) AND claim_token = :token')
      .setParameters(params)
      .execute();
  }

  async update(id: string, patch: Partial<WebhookDelivery>): Promise<void> {
    await this.ds.manager.update(WebhookDelivery, { id }, patch);
  }

  findOne(tenantId: string, endpointId: string, id: string): Promise<WebhookDelivery | null> {
    return this.ds.manager.findOne(WebhookDelivery, { where: { tenantId, endpointId, id } });
  }

  /** Newest first, keyset on (created_at, id) (ix_webhook_deliveries_endpoint_created). */
  async list(tenantId: string, endpointId: string, opts: { limit: number; cursor?: string; status?: DeliveryStatus[]; eventId?: string }): Promise<{ rows: WebhookDelivery[]; nextCursor: string | null }> {
    const qb = this.ds.manager
      .createQueryBuilder(WebhookDelivery, 'd')
      .where('d.endpoint_id = :endpointId AND d.tenant_id = :tenantId', { endpointId, tenantId });
    if (opts.status?.length) qb.andWhere('d.status IN (:...status)', { status: opts.status });
    if (opts.eventId) qb.andWhere('d.event_id = :eventId', { eventId: opts.eventId });
    if (opts.cursor) {
      const pos = decodeCursor(opts.cursor);
      qb.andWhere('(d.created_at < :cv OR (d.created_at = :cv AND d.id < :cid))', { cv: new Date(String(pos.v)), cid: pos.id });
    }
    const rows = await qb.orderBy('d.created_at', 'DESC').addOrderBy('d.id', 'DESC').limit(opts.limit + 1).getMany();
    const page = rows.slice(0, opts.limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > opts.limit && last ? encodeCursor({ v: last.createdAt.toISOString(), id: last.id }) : null };
  }

  /**
   * Deliveries whose job may be lost: open and overdue by more than `grace`, which includes those claimed by a
   * worker that died (ix_webhook_deliveries_due). A live claim keeps a re-queued job from sending them twice.
   */
  async findOrphans(now: Date, grace: number, limit: number): Promise<Array<Pick<WebhookDelivery, 'id' | 'tenantId'>>> {
    return this.ds.manager
      .createQueryBuilder(WebhookDelivery, 'd')
      .select(['d.id', 'd.tenantId'])
      .where('d.status IN (:...open) AND d.next_attempt_at <= :overdue', { open: OPEN, overdue: new Date(now.getTime() - grace) })
      .orderBy('d.next_attempt_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Marks swept deliveries due now so the next sweep does not pick them again before their new job ran. */
  async touchDue(ids: string[], now: Date): Promise<void> {
    if (!ids.length) return;
    await this.ds.manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ nextAttemptAt: now })
      .where('id IN (:...ids) AND status IN (:...open)', { ids, open: OPEN })
      .execute();
  }

  /** Open deliveries of an endpoint that was switched off: they stop here and can be redelivered by hand. */
  async cancelOpen(endpointId: string, reason: string): Promise<void> {
    await this.ds.manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ status: 'cancelled', nextAttemptAt: null, lastError: reason })
      .where('endpoint_id = :endpointId AND status IN (:...open)', { endpointId, open: OPEN })
      .execute();
  }

  /** Finished deliveries older than `before`, removed in bounded batches (status prefix of ix_webhook_deliveries_due). */
  async purgeFinished(before: Date, limit: number): Promise<number> {
    const ids = await this.ds.manager
      .createQueryBuilder(WebhookDelivery, 'd')
      .select('d.id', 'id')
      .where('d.status IN (:...done) AND d.updated_at < :before', { done: ['succeeded', 'failed', 'cancelled'], before })
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (!ids.length) return 0;
    await this.ds.manager.delete(WebhookDelivery, ids.map((r) => r.id));
    return ids.length;
  }

  /** Re-opens a delivery (finished, or waiting for a retry) for `extraAttempts` more attempts now; false while in flight. */
  async reopen(tenantId: string, endpointId: string, id: string, extraAttempts: number, now: Date): Promise<boolean> {
    const res = await this.ds.manager
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ status: 'pending', maxAttempts: () => `attempts + ${Math.floor(extraAttempts)}`, nextAttemptAt: now, lockedUntil: null, claimToken: null } as never)
      .where('id = :id AND tenant_id = :tenantId AND endpoint_id = :endpointId AND (locked_until IS NULL OR locked_until < :now)', { id, tenantId, endpointId, now })
      .execute();
    return (res.affected ?? 0) === 1;
  }
}
