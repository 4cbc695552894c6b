import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../infra/database/unique-violation';
import { sqlDialect } from '../../infra/database/raw-sql';
import { CustomerMetrics } from './entities/customer-metrics.entity';

/** Which customers one recompute statement covers. */
export type RecomputeScope =
  | { kind: 'customers'; customerIds: string[] }
  /** Customer ids in (after, upTo]; null bounds are open. */
  | { kind: 'range'; after: string | null; upTo: string | null };

export interface RecomputeParams {
  tenantId: string;
  currency: string;
  now: Date;
  windowStart: Date;
}

/** What the recompute derives from purchases; computed_at is written only when one of these changes. */
const VALUE_COLUMNS = [
  'currency', 'total_spent_minor', 'gross_spent_minor', 'refunded_minor', 'order_count', 'window_order_count', 'first_purchase_at', 'last_purchase_at',
];
const ALL_COLUMNS = ['tenant_id', 'customer_id', ...VALUE_COLUMNS, 'computed_at'];

/** The only place that touches TypeORM for customer_metrics; the recompute is set-based SQL. */
@Injectable()
export class MetricsRepository {
  constructor(private readonly ds: DataSource) {}

  private get driver(): 'sqlite' | 'postgres' | 'mssql' {
    const t = this.ds.options.type;
    return t === 'better-sqlite3' ? 'sqlite' : t === 'mssql' ? 'mssql' : 'postgres';
  }

  find(tenantId: string, customerId: string): Promise<CustomerMetrics | null> {
    return this.ds.manager.findOne(CustomerMetrics, { where: { tenantId, customerId } });
  }

  /**
   * Rebuilds the metrics rows of the customers in `scope` from their purchases in one INSERT .. SELECT .. GROUP BY.
   * The aggregate reads only ix_purchases_customer_metrics (every column it needs is in the key); the left join on
   * the primary key drops customers whose row would not change, so a repeated recompute writes almost nothing.
   * Fully refunded orders add their (zero) net to the spend but do not count as orders. Returns rows written.
   */
  async recompute(scope: RecomputeScope, p: RecomputeParams, manager?: EntityManager): Promise<number> {
    const params: Record<string, unknown> = { tenantId: p.tenantId, currency: p.currency, now: p.now, ws: p.windowStart };
    const on = (alias: string): string => {
      if (scope.kind === 'customers') return (params.cids = scope.customerIds), sqlDialect(this.driver).uuidIn(`${alias}.customer_id`, 'cids');
      const conds: string[] = [];
      if (scope.after !== null) {
      params.after = scope.after;
      conds.push(`${alias}.customer_id > :after`);
    }
      if (scope.upTo !== null) {
      params.upTo = scope.upTo;
      conds.push(`${alias}.customer_id <= :upTo`);
    }
      return conds.join(' AND ') || '1 = 1';
    };
    if (scope.kind === 'customers' && !scope.customerIds.length) return 0;
    const pg = this.driver === 'postgres';
    const live = "p.status <> 'refunded'";
    // Grouped by customer only: the tenant is fixed by the WHERE clause (one key compared per row, not two).
    const aggregate = `SELECT ${pg ? 'CAST(:tenantId AS uuid)' : ':tenantId'} AS tenant_id, p.customer_id, ${pg ? 'CAST(:currency AS varchar(3))' : ':currency'} AS currency,
        SUM(p.amount_minor - p.refunded_minor) AS total_spent_minor, SUM(p.amount_minor) AS gross_spent_minor, SUM(p.refunded_minor) AS refunded_minor,
        SUM(CASE WHEN ${live} THEN 1 ELSE 0 END) AS order_count, SUM(CASE WHEN ${live} AND p.occurred_at > :ws THEN 1 ELSE 0 END) AS window_order_count,
        MIN(CASE WHEN ${live} THEN p.occurred_at END) AS first_purchase_at, MAX(CASE WHEN ${live} THEN p.occurred_at END) AS last_purchase_at,
        ${pg ? 'CAST(:now AS timestamptz)' : ':now'} AS computed_at
      FROM purchases p WHERE p.tenant_id = :tenantId AND ${on('p')} GROUP BY p.customer_id`;
    const differs = this.driver === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM';
    const row = (alias: string) => `(${VALUE_COLUMNS.map((c) => `${alias}.${c}`).join(', ')})`;
    const changedRows = (extra = '') => `SELECT ${ALL_COLUMNS.map((c) => `a.${c}`).join(', ')}${extra} FROM (${aggregate}) a
      LEFT JOIN customer_metrics m ON m.tenant_id = :tenantId AND ${on('m')} AND m.customer_id = a.customer_id
      WHERE m.customer_id IS NULL OR ${row('m')} ${differs} ${row('a')}`;
    const changed = changedRows();
    const cols = ALL_COLUMNS.join(', ');
    const sets = [...VALUE_COLUMNS, 'computed_at'];
    if (pg && scope.kind === 'range') {
      try {
        // A range without rows yet (the tenant's first recompute) needs no comparison: insert the aggregate as is.
        const [probe, probeValues] = this.ds.driver.escapeQueryWithParameters(
          `SELECT EXISTS (SELECT 1 FROM customer_metrics m WHERE m.tenant_id = :tenantId AND ${on('m')}) AS e`, params, {});
        const [{ e: hasRows }] = (await (manager ?? this.ds.manager).query(probe, probeValues)) as Array<{ e: boolean }>;
        if (!hasRows) return await this.rawCount(`WITH i AS (INSERT INTO customer_metrics (${cols}) ${aggregate} RETURNING 1) SELECT COUNT(*) AS written FROM i`, params, manager);
        return await this.rawCount(bulkWriteSql(changedRows(', m.customer_id IS NOT NULL AS existed'), cols, sets), params, manager);
      } catch (e) {
        // A per-customer job inserted one of these customers after our snapshot: redo the chunk as an upsert.
        if (!isUniqueViolation(e)) throw e;
      }
    }
    const sql =
      this.driver === 'mssql'
        ? `MERGE customer_metrics AS t USING (${changed}) AS s (${cols}) ON t.tenant_id = s.tenant_id AND t.customer_id = s.customer_id
           WHEN MATCHED THEN UPDATE SET ${sets.map((c) => `${c} = s.${c}`).join(', ')}
           WHEN NOT MATCHED THEN INSERT (${cols}) VALUES (${ALL_COLUMNS.map((c) => `s.${c}`).join(', ')});`
        : // The WHERE of the upsert repeats the change test for a row another job wrote after the join read it.
          `INSERT INTO customer_metrics (${cols}) ${changed}
           ON CONFLICT (tenant_id, customer_id) DO UPDATE SET ${sets.map((c) => `${c} = excluded.${c}`).join(', ')}
           WHERE ${row('customer_metrics')} ${differs} ${row('excluded')}`;
    const [query, values] = this.ds.driver.escapeQueryWithParameters(sql, params, {});
    const qr = manager?.queryRunner ?? this.ds.createQueryRunner();
    try {
      return (await qr.query(query, values, true)).affected ?? 0;
    } finally {
      if (!manager?.queryRunner) await qr.release();
    }
  }

  private async rawCount(sql: string, params: Record<string, unknown>, manager?: EntityManager): Promise<number> {
    const [query, values] = this.ds.driver.escapeQueryWithParameters(sql, params, {});
    const [row] = (await (manager ?? this.ds.manager).query(query, values)) as Array<{ written: string | number }>;
    return Number(row.written);
  }

  /** Drops the rows of these customers who have no purchases left (the upsert cannot remove rows). */
  async deleteIfNoPurchases(tenantId: string, customerIds: string[]): Promise<void> {
    if (!customerIds.length) return;
    await this.ds.manager
      .createQueryBuilder()
      .delete()
      .from(CustomerMetrics)
      .where(`tenant_id = :tenantId AND ${sqlDialect(this.driver).uuidIn('customer_id', 'customerIds')}`, { tenantId, customerIds })
      .andWhere('NOT EXISTS (SELECT 1 FROM purchases p WHERE p.tenant_id = customer_metrics.tenant_id AND p.customer_id = customer_metrics.customer_id)')
      .execute();
  }

  async deleteCustomer(tenantId: string, customerId: string): Promise<void> {
    await this.ds.manager.delete(CustomerMetrics, { tenantId, customerId });
  }

  /** Rows whose customer is gone (a hard delete whose event was lost); the PK range of the tenant, anti-joined. */
  async deleteOrphans(tenantId: string): Promise<number> {
    const res = await this.ds.manager
      .createQueryBuilder()
      .delete()
      .from(CustomerMetrics)
      .where('tenant_id = :tenantId', { tenantId })
      .andWhere('NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = customer_metrics.customer_id)')
      .execute();
    return res.affected ?? 0;
  }

  /** Purchases of the tenant (index-only count): sizes the chunks and the progress. */
  async countPurchases(tenantId: string): Promise<number> {
    const [query, values] = this.ds.driver.escapeQueryWithParameters('SELECT COUNT(*) AS n FROM purchases WHERE tenant_id = :tenantId', { tenantId }, {});
    const [row] = (await this.ds.query(query, values)) as Array<{ n: string | number }>;
    return Number(row.n);
  }

  /** Statements to run at once: the leader plus the parallel workers Postgres allows one query; 1 elsewhere. */
  async parallelism(): Promise<number> {
    if (this.driver !== 'postgres') return 1;
    const [row] = (await this.ds.query("SELECT current_setting('max_parallel_workers_per_gather') AS n")) as Array<{ n: string }>;
    return Math.min(8, Math.max(1, Number(row.n) + 1));
  }

  /** Tenants with metrics rows (the nightly job's work list). */
  async tenantsWithMetrics(): Promise<string[]> {
    const rows = (await this.ds.query('SELECT DISTINCT tenant_id FROM customer_metrics')) as Array<{ tenant_id: string }>;
    return rows.map((r) => r.tenant_id);
  }

  /** Next page (by customer id, primary key order) of a tenant's customers with orders in the window. */
  async customersWithWindowOrders(tenantId: string, after: string | null, limit: number): Promise<string[]> {
    const qb = this.ds.manager
      .createQueryBuilder(CustomerMetrics, 'm')
      .select('m.customer_id', 'id')
      .where('m.tenant_id = :tenantId AND m.window_order_count > 0', { tenantId });
    if (after !== null) qb.andWhere('m.customer_id > :after', { after });
    const rows = await qb.orderBy('m.customer_id', 'ASC').limit(limit).getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }
}

/**
 * Postgres bulk path for one chunk: the changed rows are materialised once, existing ones updated and new ones
 * added with a plain INSERT, which costs about half of INSERT .. ON CONFLICT's speculative insertion per row (the
 * first recompute of a tenant inserts every row). Answers {written}.
 */
function bulkWriteSql(changed: string, cols: string, sets: string[]): string {
  return `WITH j AS MATERIALIZED (${changed}),
      u AS (UPDATE customer_metrics t SET ${sets.map((c) => `${c} = j.${c}`).join(', ')}
            FROM j WHERE j.existed AND t.tenant_id = j.tenant_id AND t.customer_id = j.customer_id RETURNING 1),
      i AS (INSERT INTO customer_metrics (${cols}) SELECT ${cols} FROM j WHERE NOT j.existed RETURNING 1)
    SELECT (SELECT COUNT(*) FROM u) + (SELECT COUNT(*) FROM i) AS written`;
}
