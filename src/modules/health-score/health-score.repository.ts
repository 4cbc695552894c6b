import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager, In, QueryRunner } from 'typeorm';
import { BulkColumn, bulkInsert, BulkInsertSpec } from '../../infra/database/bulk-sql';
import { driverOfDataSource, runSql, SqlDialect, sqlDialect } from '../../infra/database/raw-sql';
import { CustomerHealthHistory } from './entities/customer-health-history.entity';
import { CustomerHealth } from './entities/customer-health.entity';
import { HealthScoreConfig } from './entities/health-score-config.entity';
import { HealthBand, HealthModel } from './health-score.model';
import { scoredSql, scoreParams, ScoreWindow } from './health-score-sql';

export type { ScoreWindow } from './health-score-sql';

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

const CURRENT_COLUMNS: BulkColumn[] = [
  { name: 'customer_id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'score', kind: 'int' }, { name: 'band', kind: 'text' },
  { name: 'usage_score', kind: 'float' }, { name: 'engagement_score', kind: 'float' }, { name: 'incidents_score', kind: 'float' },
  { name: 'api_calls', kind: 'bigint' }, { name: 'logins', kind: 'int' }, { name: 'tickets', kind: 'int' }, { name: 'ticket_penalty', kind: 'int' },
  { name: 'config_version', kind: 'int' }, { name: 'last_activity_at', kind: 'timestamp' }, { name: 'computed_at', kind: 'timestamp' },
];
const HISTORY_COLUMNS: BulkColumn[] = [
  { name: 'customer_id', kind: 'uuid' }, { name: 'day', kind: 'text' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'score', kind: 'int' },
  { name: 'band', kind: 'text' }, { name: 'config_version', kind: 'int' },
];

/** Insert, or overwrite every non-key column of the row with that key. */
function upsertSpec(table: string, columns: BulkColumn[], key: string[]): BulkInsertSpec {
  const set = Object.fromEntries(columns.filter((c) => !key.includes(c.name)).map((c) => [c.name, `excluded.${c.name}`]));
  return { table, columns, onConflict: { target: key, set } };
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

  /** The current rows of these customers (those that have one). */
  findCurrentMany(tenantId: string, customerIds: string[], manager?: EntityManager): Promise<CustomerHealth[]> {
    return customerIds.length ? (manager ?? this.ds.manager).find(CustomerHealth, { where: { tenantId, customerId: In(customerIds) } }) : Promise.resolve([]);
  }

  /** Current scores and the day's history rows, one upsert statement each (bulkInsert: rows as one JSON document). */
  async saveCurrent(rows: CustomerHealth[], day: string, manager?: EntityManager): Promise<void> {
    if (!rows.length) return;
    const m = manager ?? this.ds.manager;
    await bulkInsert(m, upsertSpec('customer_health', CURRENT_COLUMNS, ['customer_id']), rows.map((r) => ({
      customer_id: r.customerId, tenant_id: r.tenantId, score: r.score, band: r.band, usage_score: r.usageScore, engagement_score: r.engagementScore,
      incidents_score: r.incidentsScore, api_calls: r.apiCalls, logins: r.logins, tickets: r.tickets, ticket_penalty: r.ticketPenalty,
      config_version: r.configVersion, last_activity_at: r.lastActivityAt, computed_at: r.computedAt,
    })));
    await bulkInsert(m, upsertSpec('customer_health_history', HISTORY_COLUMNS, ['customer_id', 'day']), rows.map((r) => ({
      customer_id: r.customerId, day, tenant_id: r.tenantId, score: r.score, band: r.band, config_version: r.configVersion,
    })));
  }

  async deleteCurrent(tenantId: string, customerId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.ds.manager).delete(CustomerHealth, { tenantId, customerId });
  }

  /** Every score row of these customers, current and history, in one transaction (no foreign key cascades them). */
  async deleteCustomerRows(tenantId: string, customerIds: string[]): Promise<void> {
    if (!customerIds.length) return;
    await this.ds.transaction(async (m) => {
      await m.delete(CustomerHealth, { tenantId, customerId: In(customerIds) });
      await m.delete(CustomerHealthHistory, { tenantId, customerId: In(customerIds) });
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
    for (let i = 0; i < ids.length; i += 500) await this.deleteCustomerRows(tenantId, ids.slice(i, i + 500));
    return ids.length;
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
