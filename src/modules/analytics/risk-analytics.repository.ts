import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { driverOfDataSource, runSql, SqlDialect, sqlDialect } from '../../infra/database/raw-sql';
import type { CustomerLabelRow } from './analytics.repository';

type Num = number | string | null;
const num = (v: Num | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export interface ChurnRow extends CustomerLabelRow {
  score: number;
  band: string;
  score_before: number | null;
  orders: number;
  days_since_last: number | null;
  usual_interval: number | null;
  critical_open: number;
  risk: number;
}

/** Revenue at risk, churn ranking and the CLV distribution (set-based, per tenant). */
@Injectable()
export class RiskAnalyticsRepository {
  readonly sql: SqlDialect;

  constructor(private readonly ds: DataSource) {
    this.sql = sqlDialect(driverOfDataSource(ds));
  }

  private revenueSince(): string {
    return `(SELECT customer_id, SUM(amount_minor - refunded_minor) AS revenue FROM purchases
      WHERE tenant_id = :tenantId AND occurred_at >= :since GROUP BY customer_id)`;
  }

  /** Per band: customers, their trailing revenue and (when a provider gives it) predicted CLV. */
  async revenueByBand(tenantId: string, since: Date, clvExpr: string | null): Promise<Array<{ band: string; customers: number; revenue: number; clv: number | null }>> {
    const { rows } = await runSql<{ band: string; customers: Num; revenue: Num; clv: Num }>(
      this.ds,
      `SELECT h.band, COUNT(*) AS customers, COALESCE(SUM(r.revenue), 0) AS revenue, ${clvExpr ? `SUM(${clvExpr})` : 'NULL'} AS clv
       FROM customer_health h LEFT JOIN ${this.revenueSince()} r ON r.customer_id = h.customer_id
       ${clvExpr ? 'JOIN customers c ON c.id = h.customer_id' : ''}
       WHERE h.tenant_id = :tenantId GROUP BY h.band`,
      { tenantId, since },
    );
    return rows.map((r) => ({ band: r.band, customers: num(r.customers) ?? 0, revenue: num(r.revenue) ?? 0, clv: num(r.clv) }));
  }

  async topRevenueAtRisk(tenantId: string, since: Date, clvExpr: string | null, limit: number): Promise<Array<CustomerLabelRow & { score: number; band: string; revenue: number; clv: number | null }>> {
    const { rows } = await runSql<CustomerLabelRow & { score: Num; band: string; revenue: Num; clv: Num }>(
      this.ds,
      `SELECT h.customer_id, h.score, h.band, r.revenue, ${clvExpr ?? 'NULL'} AS clv, c.first_name, c.last_name, c.email, c.company_name
       FROM customer_health h JOIN ${this.revenueSince()} r ON r.customer_id = h.customer_id JOIN customers c ON c.id = h.customer_id
       WHERE h.tenant_id = :tenantId AND h.band IN ('at_risk', 'critical')
       ORDER BY r.revenue DESC, h.customer_id LIMIT ${Math.trunc(limit)}`,
      { tenantId, since },
    );
    return rows.map((r) => ({ ...r, score: num(r.score) ?? 0, revenue: num(r.revenue) ?? 0, clv: num(r.clv) }));
  }

  /**
   * Customers ranked by churn risk: 100 - score, plus the drop in score since `beforeDay`, plus 25 when the last
   * purchase is overdue (more than twice the customer's own mean interval between purchases, and at least 7 days),
   * plus 15 per open critical ticket (up to 3). Only customers with at least one reason are ranked.
   */
  async churnRanking(tenantId: string, now: Date, beforeDay: string, limit: number): Promise<ChurnRow[]> {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the SQL dialect helpers are pure functions that never use `this`
    const { epochDays, least, cast } = this.sql;
    const nowDays = epochDays(cast(':now', 'timestamp'));
    const since = `(${nowDays} - ${epochDays('pu.last_at')})`;
    const usual = `((${epochDays('pu.last_at')} - ${epochDays('pu.first_at')}) / (pu.orders - 1))`;
    const overdue = `(pu.orders >= 2 AND ${since} >= 7 AND ${since} > 2 * ${usual})`;
    const drop = `(CASE WHEN past.score IS NOT NULL AND past.score - h.score >= 10 THEN past.score - h.score ELSE 0 END)`;
    const crit = `COALESCE(tk.critical_open, 0)`;
    const { rows } = await runSql<ChurnRow>(
      this.ds,
      `SELECT * FROM (
         SELECT h.customer_id, h.score, h.band, past.score AS score_before, COALESCE(pu.orders, 0) AS orders,
           CASE WHEN pu.last_at IS NULL THEN NULL ELSE ${since} END AS days_since_last,
           CASE WHEN pu.orders >= 2 THEN ${usual} ELSE NULL END AS usual_interval,
           ${crit} AS critical_open,
           (100 - h.score) + ${drop} + (CASE WHEN ${overdue} THEN 25 ELSE 0 END) + 15 * ${least(crit, '3')} AS risk,
           CASE WHEN h.band <> 'healthy' OR ${drop} > 0 OR ${crit} > 0 OR ${overdue} THEN 1 ELSE 0 END AS has_reason,
           c.first_name, c.last_name, c.email, c.company_name
         FROM customer_health h
         JOIN customers c ON c.id = h.customer_id
         LEFT JOIN customer_health_history past ON past.customer_id = h.customer_id AND past.day = :beforeDay
         LEFT JOIN (SELECT customer_id, COUNT(*) AS orders, MIN(occurred_at) AS first_at, MAX(occurred_at) AS last_at
                    FROM purchases WHERE tenant_id = :tenantId GROUP BY customer_id) pu ON pu.customer_id = h.customer_id
         LEFT JOIN (SELECT customer_id, COUNT(*) AS critical_open FROM support_tickets
                    WHERE tenant_id = :tenantId AND severity = 'critical' AND status IN ('open', 'pending') GROUP BY customer_id) tk ON tk.customer_id = h.customer_id
         WHERE h.tenant_id = :tenantId
       ) ranked WHERE has_reason = 1 ORDER BY risk DESC, customer_id LIMIT ${Math.trunc(limit)}`,
      { tenantId, now, beforeDay },
    );
    return rows.map((r) => ({
      ...r, score: Number(r.score), score_before: num(r.score_before), orders: Number(r.orders), days_since_last: num(r.days_since_last),
      usual_interval: num(r.usual_interval), critical_open: Number(r.critical_open), risk: Number(r.risk),
    }));
  }

  /** Live customers per value bucket (edges ascending, minor units): bucket i holds edges[i-1] <= v < edges[i]. */
  async valueBuckets(tenantId: string, edges: number[], clvExpr: string | null): Promise<Array<{ bucket: number; customers: number; total: number }>> {
    const value = clvExpr ?? 'COALESCE(v.revenue, 0)';
    const historical = clvExpr ? '' : `LEFT JOIN (SELECT customer_id, SUM(amount_minor - refunded_minor) AS revenue FROM purchases WHERE tenant_id = :tenantId GROUP BY customer_id) v ON v.customer_id = c.id`;
    const params: Record<string, unknown> = { tenantId };
    const cases = edges.map((e, i) => ((params[`e${i}`] = e), `WHEN x.value < :e${i} THEN ${i}`)).join(' ');
    const { rows } = await runSql<{ bucket: Num; customers: Num; total: Num }>(
      this.ds,
      `SELECT bucket, COUNT(*) AS customers, SUM(value) AS total FROM (
         SELECT CASE ${cases} ELSE ${edges.length} END AS bucket, x.value FROM (
           SELECT COALESCE(${value}, 0) AS value FROM customers c ${historical} WHERE c.tenant_id = :tenantId AND c.deleted_at IS NULL
         ) x
       ) b GROUP BY bucket ORDER BY bucket`,
      params,
    );
    return rows.map((r) => ({ bucket: Number(r.bucket), customers: Number(r.customers), total: num(r.total) ?? 0 }));
  }
}
