import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CustomerMetrics } from './entities/customer-metrics.entity';

/** Which purchases one recompute statement covers. */
export type RecomputeScope =
  | { kind: 'customer'; customerId: string }
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
  'tenant_id', 'currency', 'total_spent_minor', 'gross_spent_minor', 'refunded_minor', 'order_count', 'window_order_count',
  'first_purchase_at', 'last_purchase_at',
];
const METRIC_COLUMNS = [...VALUE_COLUMNS, 'computed_at'];

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
   * Rebuilds the metrics rows of the customers in `scope` from their purchases in one INSERT .. SELECT .. GROUP BY
   * with an upsert. Reads only ix_purchases_customer_metrics (every aggregated column is in its key). Fully
   * refunded orders add their (zero) net to the spend but do not count as orders. A row whose values did not change
   * is not rewritten (a repeated recompute costs reads only). Returns the rows written.
   */
  async recompute(scope: RecomputeScope, p: RecomputeParams, manager?: EntityManager): Promise<number> {
    const where = ['p.tenant_id = :tenantId'];
    const params: Record<string, unknown> = { tenantId: p.tenantId, currency: p.currency, now: p.now, ws: p.windowStart };
    if (scope.kind === 'customer') {
      where.push('p.customer_id = :cid');
      params.cid = scope.customerId;
    } else if (scope.kind === 'customers') {
      if (!scope.customerIds.length) return 0;
      where.push('p.customer_id IN (:...cids)');
      params.cids = scope.customerIds;
    } else {
      if (scope.after !== null) (where.push('p.customer_id > :after'), (params.after = scope.after));
      if (scope.upTo !== null) (where.push('p.customer_id <= :upTo'), (params.upTo = scope.upTo));
    }
    const live = "p.status <> 'refunded'";
    const select = `SELECT p.customer_id, p.tenant_id, :currency, SUM(p.amount_minor - p.refunded_minor), SUM(p.amount_minor), SUM(p.refunded_minor),
        SUM(CASE WHEN ${live} THEN 1 ELSE 0 END), SUM(CASE WHEN ${live} AND p.occurred_at > :ws THEN 1 ELSE 0 END),
        MIN(CASE WHEN ${live} THEN p.occurred_at END), MAX(CASE WHEN ${live} THEN p.occurred_at END), :now
      FROM purchases p WHERE ${where.join(' AND ')} GROUP BY p.tenant_id, p.customer_id`;
    const cols = ['customer_id', ...METRIC_COLUMNS].join(', ');
    const sql =
      this.driver === 'mssql'
        ? `MERGE customer_metrics AS t USING (${select}) AS s (${cols}) ON t.customer_id = s.customer_id
           WHEN MATCHED THEN UPDATE SET ${METRIC_COLUMNS.map((c) => `${c} = s.${c}`).join(', ')}
           WHEN NOT MATCHED THEN INSERT (${cols}) VALUES (${['customer_id', ...METRIC_COLUMNS].map((c) => `s.${c}`).join(', ')});`
        : `INSERT INTO customer_metrics (${cols}) ${select}
           ON CONFLICT (customer_id) DO UPDATE SET ${METRIC_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
           WHERE (${VALUE_COLUMNS.map((c) => `customer_metrics.${c}`).join(', ')}) ${this.driver === 'sqlite' ? 'IS NOT' : 'IS DISTINCT FROM'}
                 (${VALUE_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`;
    const [query, values] = this.ds.driver.escapeQueryWithParameters(sql, params, {});
    const qr = manager?.queryRunner ?? this.ds.createQueryRunner();
    try {
      return (await qr.query(query, values, true)).affected ?? 0;
    } finally {
      if (!manager?.queryRunner) await qr.release();
    }
  }

  /** Drops the row of a customer who has no purchases left (the upsert cannot remove rows). */
  async deleteIfNoPurchases(tenantId: string, customerId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.ds.manager)
      .createQueryBuilder()
      .delete()
      .from(CustomerMetrics)
      .where('tenant_id = :tenantId AND customer_id = :customerId', { tenantId, customerId })
      .andWhere('NOT EXISTS (SELECT 1 FROM purchases p WHERE p.tenant_id = :tenantId AND p.customer_id = :customerId)')
      .execute();
  }

  /** Purchases of the tenant (index-only count on ix_purchases_customer_metrics): the recompute's unit of progress. */
  async countPurchases(tenantId: string): Promise<number> {
    const [row] = await this.ds.query(...this.q('SELECT COUNT(*) AS n FROM purchases WHERE tenant_id = :tenantId', { tenantId }));
    return Number((row as { n: string | number }).n);
  }

  /**
   * The customer id that closes a chunk of about `size` purchases after `after` (all purchases of that customer
   * fall in the chunk), or null when fewer remain. ix_purchases_customer_metrics, index-only.
   */
  async chunkEnd(tenantId: string, after: string | null, size: number): Promise<string | null> {
    const cond = after === null ? '' : ' AND customer_id > :after';
    const sql = this.driver === 'mssql'
      ? `SELECT customer_id FROM purchases WHERE tenant_id = :tenantId${cond} ORDER BY customer_id OFFSET ${size - 1} ROWS FETCH NEXT 1 ROWS ONLY`
      : `SELECT customer_id FROM purchases WHERE tenant_id = :tenantId${cond} ORDER BY customer_id LIMIT 1 OFFSET ${size - 1}`;
    const rows = (await this.ds.query(...this.q(sql, { tenantId, after }))) as Array<{ customer_id: string }>;
    return rows[0]?.customer_id ?? null;
  }

  /** Purchases in (after, upTo] of the tenant, for progress. */
  async countPurchasesIn(tenantId: string, after: string | null, upTo: string | null): Promise<number> {
    const cond = [after === null ? '' : ' AND customer_id > :after', upTo === null ? '' : ' AND customer_id <= :upTo'].join('');
    const [row] = await this.ds.query(...this.q(`SELECT COUNT(*) AS n FROM purchases WHERE tenant_id = :tenantId${cond}`, { tenantId, after, upTo }));
    return Number((row as { n: string | number }).n);
  }

  /** Tenants with customers whose windowed order count can still fall as time passes. */
  async tenantsWithWindowOrders(): Promise<string[]> {
    const rows = (await this.ds.query('SELECT DISTINCT tenant_id FROM customer_metrics WHERE window_order_count > 0')) as Array<{ tenant_id: string }>;
    return rows.map((r) => r.tenant_id);
  }

  /** Next page (by customer id) of a tenant's customers with orders in the window (PK order). */
  async customersWithWindowOrders(tenantId: string, after: string | null, limit: number): Promise<string[]> {
    const qb = this.ds.manager
      .createQueryBuilder(CustomerMetrics, 'm')
      .select('m.customer_id', 'id')
      .where('m.tenant_id = :tenantId AND m.window_order_count > 0', { tenantId });
    if (after !== null) qb.andWhere('m.customer_id > :after', { after });
    const rows = await qb.orderBy('m.customer_id', 'ASC').limit(limit).getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  private q(sql: string, params: Record<string, unknown>): [string, unknown[]] {
    return this.ds.driver.escapeQueryWithParameters(sql, params, {}) as [string, unknown[]];
  }
}
