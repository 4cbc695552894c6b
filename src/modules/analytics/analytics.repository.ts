import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { driverOfDataSource, runSql, SqlDialect, sqlDialect } from '../../infra/database/raw-sql';

type Num = number | string | null;
const n = (v: Num | undefined): number => (v === null || v === undefined ? 0 : Number(v));

export interface CustomerLabelRow {
  customer_id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  company_name: string | null;
}

/**
 * Tenant analytics over customers, purchases and support_tickets (read by table name, one set-based query per
 * figure; health figures come from the health-score module). Indexes: ix_purchases_tenant_time_amounts,
 * ix_support_tickets_customer_opened, ix_customers_tenant_created.
 */
@Injectable()
export class AnalyticsRepository {
  readonly sql: SqlDialect;

  constructor(private readonly ds: DataSource) {
    this.sql = sqlDialect(driverOfDataSource(ds));
  }

  async countCustomers(tenantId: string): Promise<number> {
    const { rows } = await runSql<{ n: Num }>(this.ds, 'SELECT COUNT(*) AS n FROM customers WHERE tenant_id = :tenantId AND deleted_at IS NULL', { tenantId });
    return n(rows[0]?.n);
  }

  async netRevenueSince(tenantId: string, since: Date): Promise<number> {
    const { rows } = await runSql<{ v: Num }>(
      this.ds,
      'SELECT COALESCE(SUM(amount_minor - refunded_minor), 0) AS v FROM purchases WHERE tenant_id = :tenantId AND occurred_at >= :since',
      { tenantId, since },
    );
    return n(rows[0]?.v);
  }

  async openTickets(tenantId: string): Promise<number> {
    const { rows } = await runSql<{ n: Num }>(this.ds, "SELECT COUNT(*) AS n FROM support_tickets WHERE tenant_id = :tenantId AND status IN ('open', 'pending')", { tenantId });
    return n(rows[0]?.n);
  }

  async ticketsBySeverityAndDay(tenantId: string, since: Date): Promise<Array<{ day: string; severity: string; tickets: number; open: number }>> {
    const day = this.sql.day('opened_at');
    const { rows } = await runSql<{ day: string; severity: string; tickets: Num; open: Num }>(
      this.ds,
      `SELECT ${day} AS day, severity, COUNT(*) AS tickets, SUM(CASE WHEN status IN ('open', 'pending') THEN 1 ELSE 0 END) AS open
       FROM support_tickets WHERE tenant_id = :tenantId AND opened_at >= :since GROUP BY ${day}, severity ORDER BY 1`,
      { tenantId, since },
    );
    return rows.map((r) => ({ day: r.day, severity: r.severity, tickets: n(r.tickets), open: n(r.open) }));
  }

  async topTicketCustomers(tenantId: string, since: Date, limit: number): Promise<Array<CustomerLabelRow & { tickets: number; critical: number; open: number }>> {
    const { rows } = await runSql<CustomerLabelRow & { tickets: Num; critical: Num; open: Num }>(
      this.ds,
      `SELECT c.id AS customer_id, c.first_name, c.last_name, c.email, c.company_name, COUNT(*) AS tickets,
         SUM(CASE WHEN t.severity = 'critical' THEN 1 ELSE 0 END) AS critical,
         SUM(CASE WHEN t.status IN ('open', 'pending') THEN 1 ELSE 0 END) AS open
       FROM support_tickets t JOIN customers c ON c.id = t.customer_id
       WHERE t.tenant_id = :tenantId AND t.opened_at >= :since
       GROUP BY c.id, c.first_name, c.last_name, c.email, c.company_name
       ORDER BY COUNT(*) DESC, SUM(CASE WHEN t.severity = 'critical' THEN 1 ELSE 0 END) DESC, c.id LIMIT ${Math.trunc(limit)}`,
      { tenantId, since },
    );
    return rows.map((r) => ({ ...r, tickets: n(r.tickets), critical: n(r.critical), open: n(r.open) }));
  }

  /** Live customers per signup month, and per (signup month, purchase month) how many of them purchased. */
  async cohorts(tenantId: string, from: Date): Promise<{ sizes: Map<string, number>; active: Array<{ cohort: string; month: string; customers: number }> }> {
    const cm = this.sql.month('c.created_at');
    const pm = this.sql.month('p.occurred_at');
    const sizes = await runSql<{ cohort: string; n: Num }>(
      this.ds,
      `SELECT ${cm} AS cohort, COUNT(*) AS n FROM customers c WHERE c.tenant_id = :tenantId AND c.deleted_at IS NULL AND c.created_at >= :from GROUP BY ${cm}`,
      { tenantId, from },
    );
    const active = await runSql<{ cohort: string; month: string; n: Num }>(
      this.ds,
      `SELECT ${cm} AS cohort, ${pm} AS month, COUNT(DISTINCT p.customer_id) AS n
       FROM customers c JOIN purchases p ON p.tenant_id = c.tenant_id AND p.customer_id = c.id
       WHERE c.tenant_id = :tenantId AND c.deleted_at IS NULL AND c.created_at >= :from
       GROUP BY ${cm}, ${pm}`,
      { tenantId, from },
    );
    return {
      sizes: new Map(sizes.rows.map((r) => [r.cohort, n(r.n)])),
      active: active.rows.map((r) => ({ cohort: r.cohort, month: r.month, customers: n(r.n) })),
    };
  }
}
