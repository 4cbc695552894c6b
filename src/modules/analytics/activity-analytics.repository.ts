import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { driverOfDataSource, runSql, SqlDialect, sqlDialect } from '../../infra/database/raw-sql';

type Num = number | string | null;
const n = (v: Num | undefined): number => (v === null || v === undefined ? 0 : Number(v));

export interface ActivityWindow {
  tenantId: string;
  customerId: string | null;
  from: Date;
  to: Date;
}

/**
 * Product telemetry (usage and login rows written by the events module) aggregated per day and per weekday x hour,
 * one set-based query each. Index: ix_telemetry_customer_kind_time (tenant_id, customer_id, kind, occurred_at): a
 * full range seek for one customer, the tenant_id prefix for the whole tenant.
 */
@Injectable()
export class ActivityAnalyticsRepository {
  private readonly sql: SqlDialect;

  constructor(private readonly ds: DataSource) {
    this.sql = sqlDialect(driverOfDataSource(ds));
  }

  private where(w: ActivityWindow, kind: 'usage' | 'login'): { clause: string; params: Record<string, unknown> } {
    const customer = w.customerId ? ' AND customer_id = :customerId' : '';
    return {
      clause: `tenant_id = :tenantId${customer} AND kind = '${kind}' AND occurred_at >= :from AND occurred_at < :to`,
      params: { tenantId: w.tenantId, customerId: w.customerId, from: w.from, to: w.to },
    };
  }

  /** Sum of API calls per UTC day in the window (days without usage are absent). */
  async apiCallsPerDay(w: ActivityWindow): Promise<Array<{ day: string; apiCalls: number }>> {
    const day = this.sql.day('occurred_at');
    const { clause, params } = this.where(w, 'usage');
    const { rows } = await runSql<{ day: string; api_calls: Num }>(this.ds, `SELECT ${day} AS day, SUM(quantity) AS api_calls FROM telemetry WHERE ${clause} GROUP BY ${day}`, params);
    return rows.map((r) => ({ day: r.day, apiCalls: n(r.api_calls) }));
  }

  /** Logins per (ISO weekday 1..7, UTC hour 0..23) in the window (empty cells are absent). */
  async loginsPerWeekdayHour(w: ActivityWindow): Promise<Array<{ weekday: number; hour: number; logins: number }>> {
    const wd = this.sql.isoWeekday('occurred_at');
    const hr = this.sql.hour('occurred_at');
    const { clause, params } = this.where(w, 'login');
    const { rows } = await runSql<{ weekday: Num; hour: Num; logins: Num }>(
      this.ds,
      `SELECT ${wd} AS weekday, ${hr} AS hour, SUM(quantity) AS logins FROM telemetry WHERE ${clause} GROUP BY ${wd}, ${hr}`,
      params,
    );
    return rows.map((r) => ({ weekday: n(r.weekday), hour: n(r.hour), logins: n(r.logins) }));
  }
}
