import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'crypto';
import { DataSource, EntityManager, In, QueryRunner } from 'typeorm';
import { driverOfDataSource, runSql, SqlDialect, sqlDialect } from '../../infra/database/raw-sql';
import { CustomerHealthHistory } from './entities/customer-health-history.entity';
import { CustomerHealth } from './entities/customer-health.entity';
import { HealthScoreConfig } from './entities/health-score-config.entity';
import { HealthBand, HealthModel } from './health-score.model';
import { scoredSql, scoreParams, ScoreWindow } from './health-score-sql';

/** Memory for the one big aggregate of a bulk recompute (its hash tables hold one row per customer). */
const STAGE_WORK_MEM = '256MB';

export type { ScoreWindow } from './health-score-sql';

export interface BandChange {
  customerId: string;
  fromBand: HealthBand;
  toBand: HealthBand;
  fromScore: number;
  toScore: number;
}

export interface ScoredRow {
  customer_id: string;
  score: number;
  band: HealthBand;
  usage_score: number;
  engagement_score: number;
  incidents_score: number;
  api_calls: number;
  logins: number;
  tickets: number;
  ticket_penalty: number;
  last_activity_at: Date | string | null;
}

export interface WindowTicket {
  ticketId: string;
  subject: string;
  severity: string;
  status: string;
  openedAt: Date;
}

/** Health scores: the only place that touches TypeORM for them. Reads telemetry and support_tickets by table name. */
@Injectable()
export class HealthScoreRepository {
  private readonly sql: SqlDialect;
  private readonly localLock = new KeyedMutex();

  constructor(private readonly ds: DataSource) {
    this.sql = sqlDialect(driverOfDataSource(ds));
  }

  // Configuration versions

  latestConfig(tenantId: string): Promise<HealthScoreConfig | null> {
    return this.ds.manager.findOne(HealthScoreConfig, { where: { tenantId }, order: { version: 'DESC' } });
  }

  configVersion(tenantId: string, version: number): Promise<HealthScoreConfig | null> {
    return this.ds.manager.findOne(HealthScoreConfig, { where: { tenantId, version } });
  }

  listConfigs(tenantId: string): Promise<HealthScoreConfig[]> {
    return this.ds.manager.find(HealthScoreConfig, { where: { tenantId }, order: { version: 'DESC' }, take: 100 });
  }

  /** Inserts a version unless (tenant, version) exists (uq_health_score_configs_tenant_version); returns the stored one. */
  async insertConfigIfAbsent(row: Partial<HealthScoreConfig>, manager?: EntityManager): Promise<HealthScoreConfig> {
    const m = manager ?? this.ds.manager;
    await m.createQueryBuilder().insert().into(HealthScoreConfig).values({ id: randomUUID(), ...row } as never).orIgnore().execute();
    return (await m.findOne(HealthScoreConfig, { where: { tenantId: row.tenantId, version: row.version } }))!;
  }

  /** Scores of a few customers (live ones only), computed without writing. */
  async scoreCustomers(tenantId: string, ids: string[], model: HealthModel, window: ScoreWindow): Promise<ScoredRow[]> {
    if (!ids.length) return [];
    const { rows } = await runSql<ScoredRow>(this.ds, scoredSql(this.sql, true), scoreParams(tenantId, model, window, ids));
    return rows.map(normaliseScored);
  }

  findCurrent(tenantId: string, customerId: string, manager?: EntityManager): Promise<CustomerHealth | null> {
    return (manager ?? this.ds.manager).findOne(CustomerHealth, { where: { tenantId, customerId } });
  }

  /**
   * Runs `work` as the only writer of the tenant's current scores, so that a band change is seen (and emitted) by
   * exactly one of two concurrent recomputes. Postgres: a transaction holding a transaction-scoped advisory lock
   * (works across app instances). SQLite (one process): an in-process queue per tenant.
   */
  async withTenantWriteLock<T>(tenantId: string, work: (m: EntityManager) => Promise<T>, session?: QueryRunner): Promise<T> {
    if (this.sql.driver !== 'postgres') return this.localLock.run(tenantId, () => work(session?.manager ?? this.ds.manager));
    const lock = (m: EntityManager) => runSql(m, 'SELECT pg_advisory_xact_lock(hashtext(:key))', { key: `health-score:${tenantId}` });
    if (!session) return this.ds.transaction(async (m) => (await lock(m), work(m)));
    await session.startTransaction();
    try {
      await lock(session.manager);
      const out = await work(session.manager);
      await session.commitTransaction();
      return out;
    } catch (e) {
      await session.rollbackTransaction();
      throw e;
    }
  }

  async saveCurrent(row: CustomerHealth, day: string, manager?: EntityManager): Promise<void> {
    const m = manager ?? this.ds.manager;
    await m.upsert(CustomerHealth, { ...row }, ['customerId']);
    await m.upsert(
      CustomerHealthHistory,
      { customerId: row.customerId, day, tenantId: row.tenantId, score: row.score, band: row.band, configVersion: row.configVersion },
      ['customerId', 'day'],
    );
  }

  async deleteCurrent(tenantId: string, customerId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.ds.manager).delete(CustomerHealth, { tenantId, customerId });
  }

  /** Every score row of a hard-deleted customer: current and history (there is no foreign key to cascade them). */
  async deleteCustomerRows(tenantId: string, customerId: string): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.delete(CustomerHealth, { tenantId, customerId });
      await m.delete(CustomerHealthHistory, { tenantId, customerId });
    });
  }

  /**
   * Score rows of the tenant's customers that no longer exist (a hard delete whose event was lost, or a
   * per-customer recompute that wrote after the delete): the current rows are found by an anti-join, and their
   * history by those customer ids (the history primary key). Returns the number of customers swept.
   */
  async deleteOrphans(tenantId: string): Promise<number> {
    const { rows } = await runSql<{ customer_id: string }>(
      this.ds,
      'SELECT h.customer_id FROM customer_health h WHERE h.tenant_id = :tenantId AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = h.customer_id)',
      { tenantId },
    );
    const ids = rows.map((r) => r.customer_id);
    for (let i = 0; i < ids.length; i += 500) {
      const batch = ids.slice(i, i + 500);
      await this.ds.transaction(async (m) => {
        await m.delete(CustomerHealth, { tenantId, customerId: In(batch) });
        await m.delete(CustomerHealthHistory, { tenantId, customerId: In(batch) });
      });
    }
    return ids.length;
  }

  // Bulk recompute of a tenant: one aggregate pass into a private staging table, then chunked writes.

  /** A dedicated connection, so the temporary staging table lives as long as the run. */
  async openSession(): Promise<QueryRunner> {
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    return qr;
  }

  /**
   * Scores every live customer of the tenant into a new staging table; returns its name and row count.
   * CREATE TABLE AS (unlike INSERT ... SELECT) may use a parallel plan on Postgres.
   */
  async stage(qr: QueryRunner, tenantId: string, model: HealthModel, window: ScoreWindow): Promise<{ table: string; rows: number }> {
    const table = `health_stage_${randomBytes(6).toString('hex')}`;
    if (this.sql.driver === 'postgres') await runSql(qr, `SET work_mem = '${STAGE_WORK_MEM}'`);
    try {
      // Written in id order: the chunks that follow read it by id ranges, so their reads are sequential.
      await runSql(qr, `CREATE TEMPORARY TABLE ${table} AS ${scoredSql(this.sql, false)} ORDER BY customer_id`, scoreParams(tenantId, model, window));
    } finally {
      if (this.sql.driver === 'postgres') await runSql(qr, 'RESET work_mem');
    }
    // Indexed after the fill: cheaper than maintaining it row by row.
    await runSql(qr, `CREATE INDEX ${table}_customer ON ${table} (customer_id)`);
    if (this.sql.driver === 'postgres') await runSql(qr, `ANALYZE ${table}`);
    const { rows } = await runSql<{ n: number | string }>(qr, `SELECT COUNT(*) AS n FROM ${table}`);
    return { table, rows: Number(rows[0]?.n ?? 0) };
  }

  async dropStage(qr: QueryRunner, table: string): Promise<void> {
    await runSql(qr, `DROP TABLE IF EXISTS ${table}`);
  }

  /**
   * Splits the `total` staged customers into chunks of `size` in id order, in one streaming pass over the stage's
   * index (no COUNT(*) OVER (), which would buffer every row): each chunk's last id (inclusive) and its number of rows.
   */
  async chunkEnds(qr: QueryRunner, table: string, total: number, size: number): Promise<Array<{ end: string; rows: number }>> {
    if (total <= 0) return [];
    const n = Math.max(1, Math.trunc(size));
    const { rows } = await runSql<{ customer_id: string; rn: number | string }>(
      qr,
      `SELECT customer_id, rn FROM (SELECT customer_id, ROW_NUMBER() OVER (ORDER BY customer_id) AS rn FROM ${table}) z
       WHERE rn % ${n} = 0 OR rn = ${Math.trunc(total)} ORDER BY rn`,
    );
    let before = 0;
    return rows.map((r) => {
      const rn = Number(r.rn);
      const chunk = { end: r.customer_id, rows: rn - before };
      before = rn;
      return chunk;
    });
  }

  /**
   * Band changes within a staged chunk against the stored current scores (read before they are overwritten). Both
   * sides carry the chunk's id range: without it Postgres hashed the chunk and scanned all of customer_health.
   */
  async chunkBandChanges(m: EntityManager, table: string, after: string | null, end: string): Promise<BandChange[]> {
    const { rows } = await runSql<{ customer_id: string; from_band: HealthBand; to_band: HealthBand; from_score: number; to_score: number }>(
      m,
      `SELECT s.customer_id, h.band AS from_band, s.band AS to_band, h.score AS from_score, s.score AS to_score
       FROM ${table} s JOIN customer_health h ON h.customer_id = s.customer_id
       WHERE ${chunkWhere('s', after)} AND ${chunkWhere('h', after)} AND h.band <> s.band`,
      { after, end },
    );
    return rows.map((r) => ({ customerId: r.customer_id, fromBand: r.from_band, toBand: r.to_band, fromScore: Number(r.from_score), toScore: Number(r.to_score) }));
  }

  /**
   * Writes a staged chunk as the current scores. Rows whose inputs and model version are unchanged are left alone
   * (the tenant's summary records that they were checked); inserts go in primary-key order for index locality.
   */
  async writeCurrentChunk(m: EntityManager, table: string, after: string | null, end: string, tenantId: string, version: number, computedAt: Date): Promise<void> {
    const cols = 'score, band, usage_score, engagement_score, incidents_score, api_calls, logins, tickets, ticket_penalty, config_version, last_activity_at, computed_at';
    const set = cols.split(', ').map((c) => `${c} = excluded.${c}`).join(', ');
    const differs = (c: string) => (this.sql.driver === 'postgres' ? `customer_health.${c} IS DISTINCT FROM excluded.${c}` : `customer_health.${c} IS NOT excluded.${c}`);
    const inputs = ['api_calls', 'logins', 'tickets', 'ticket_penalty', 'last_activity_at'];
    const changed = [...inputs, 'config_version'].map(differs).join(' OR ');
    // Unchanged customers are left out before the insert (an ON CONFLICT that updates nothing still locks and
    // dirties the row); the stored rows are read by the chunk's id range. The conflict clause still guards rows
    // written meanwhile by a per-customer recompute.
    const stale = [...inputs.map((c) => `h.${c} ${this.sql.driver === 'postgres' ? 'IS DISTINCT FROM' : 'IS NOT'} s.${c}`), `h.config_version <> ${this.sql.cast(':version', 'int')}`].join(' OR ');
    await runSql(
      m,
      `INSERT INTO customer_health (customer_id, tenant_id, ${cols})
       SELECT s.customer_id, ${this.sql.cast(':tenantId', 'uuid')}, s.score, s.band, s.usage_score, s.engagement_score, s.incidents_score,
         s.api_calls, s.logins, s.tickets, s.ticket_penalty, ${this.sql.cast(':version', 'int')}, s.last_activity_at, ${this.sql.cast(':computedAt', 'timestamp')}
       FROM ${table} s LEFT JOIN customer_health h ON h.customer_id = s.customer_id AND ${chunkWhere('h', after)}
       WHERE ${chunkWhere('s', after)} AND (h.customer_id IS NULL OR ${stale}) ORDER BY s.customer_id
       ON CONFLICT (customer_id) DO UPDATE SET ${set} WHERE ${changed}`,
      { tenantId, version, computedAt, after, end },
    );
  }

  /** Writes a staged chunk as the day's history rows (the day's latest computation wins; equal rows are not rewritten). */
  async writeHistoryChunk(m: EntityManager, table: string, after: string | null, end: string, tenantId: string, version: number, day: string): Promise<void> {
    const h = 'customer_health_history';
    await runSql(
      m,
      `INSERT INTO ${h} (customer_id, day, tenant_id, score, band, config_version)
       SELECT s.customer_id, CAST(:day AS varchar(10)), ${this.sql.cast(':tenantId', 'uuid')}, s.score, s.band, ${this.sql.cast(':version', 'int')}
       FROM ${table} s WHERE ${chunkWhere('s', after)} ORDER BY s.customer_id
       ON CONFLICT (customer_id, day) DO UPDATE SET score = excluded.score, band = excluded.band, config_version = excluded.config_version
       WHERE ${h}.score <> excluded.score OR ${h}.band <> excluded.band OR ${h}.config_version <> excluded.config_version`,
      { tenantId, version, day, after, end },
    );
  }

  // Reads

  /** Tenants with at least one live customer. */
  async tenantIds(): Promise<string[]> {
    const { rows } = await runSql<{ tenant_id: string }>(this.ds, 'SELECT DISTINCT tenant_id FROM customers WHERE deleted_at IS NULL');
    return rows.map((r) => r.tenant_id);
  }

  /** Drops history older than `beforeDay` (ix_customer_health_history_tenant_day). */
  async pruneHistory(tenantId: string, beforeDay: string): Promise<number> {
    const { affected } = await runSql(this.ds, 'DELETE FROM customer_health_history WHERE tenant_id = :tenantId AND day < :beforeDay', { tenantId, beforeDay });
    return affected;
  }

  /** Tickets opened by the customer inside the window, newest first (ix_support_tickets_customer_opened). */
  async windowTickets(tenantId: string, customerId: string, window: ScoreWindow, limit = 100): Promise<WindowTicket[]> {
    const { rows } = await runSql<{ ticket_id: string; subject: string; severity: string; status: string; opened_at: Date | string }>(
      this.ds,
      `SELECT ticket_id, subject, severity, status, opened_at FROM support_tickets
       WHERE tenant_id = :tenantId AND customer_id = :customerId AND opened_at >= :since AND opened_at <= :until
       ORDER BY opened_at DESC LIMIT ${Math.trunc(limit)}`,
      { tenantId, customerId, since: window.since, until: window.until },
    );
    return rows.map((r) => ({ ticketId: r.ticket_id, subject: r.subject, severity: r.severity, status: r.status, openedAt: toDate(r.opened_at)! }));
  }

  /** The latest history score on or before `day`. */
  async scoreOnOrBefore(tenantId: string, customerId: string, day: string): Promise<number | null> {
    const row = await this.ds.manager
      .createQueryBuilder(CustomerHealthHistory, 'h')
      .where('h.tenant_id = :tenantId AND h.customer_id = :customerId AND h.day <= :day', { tenantId, customerId, day })
      .orderBy('h.day', 'DESC')
      .limit(1)
      .getOne();
    return row ? row.score : null;
  }

  history(tenantId: string, customerId: string, fromDay: string, toDay: string): Promise<CustomerHealthHistory[]> {
    return this.ds.manager
      .createQueryBuilder(CustomerHealthHistory, 'h')
      .where('h.tenant_id = :tenantId AND h.customer_id = :customerId AND h.day >= :fromDay AND h.day <= :toDay', { tenantId, customerId, fromDay, toDay })
      .orderBy('h.day', 'ASC')
      .getMany();
  }
}

/** Serialises async work per key inside this process. */
class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(work);
    this.tails.set(key, next);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === next) this.tails.delete(key);
    }
  }
}

function chunkWhere(alias: string, after: string | null): string {
  return after === null ? `${alias}.customer_id <= :end` : `${alias}.customer_id > :after AND ${alias}.customer_id <= :end`;
}

/** SQLite returns text timestamps in UTC without a zone; Postgres returns Dates. */
export function toDate(v: Date | string | null | undefined): Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
}

function normaliseScored(r: ScoredRow): ScoredRow {
  return {
    ...r,
    score: Number(r.score), usage_score: Number(r.usage_score), engagement_score: Number(r.engagement_score), incidents_score: Number(r.incidents_score),
    api_calls: Number(r.api_calls), logins: Number(r.logins), tickets: Number(r.tickets), ticket_penalty: Number(r.ticket_penalty),
  };
}
