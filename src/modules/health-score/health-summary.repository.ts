import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { driverOfDataSource, runSql, SqlDialect, sqlDialect } from '../../infra/database/raw-sql';
import { HealthDailySummary } from './entities/health-daily-summary.entity';
import type { HealthBand } from './health-score.model';

/** A change of one customer's current score, applied to today's totals. */
export interface SummaryDelta {
  customers: number;
  scoreSum: number;
  bands: Record<HealthBand, number>;
  active: number;
}

const COLS = 'customers, score_sum, healthy, at_risk, critical, active, computed_at';

/** health_daily_summaries: per tenant and day totals, so dashboards read one row per day instead of every customer. */
@Injectable()
export class HealthSummaryRepository {
  private readonly sql: SqlDialect;

  constructor(private readonly ds: DataSource) {
    this.sql = sqlDialect(driverOfDataSource(ds));
  }

  private totalsSql(source: string, where: string): string {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the SQL dialect helpers are pure functions that never use `this`
    const { cast } = this.sql;
    return `INSERT INTO health_daily_summaries (tenant_id, day, ${COLS})
      SELECT ${cast(':tenantId', 'uuid')}, CAST(:day AS varchar(10)), COUNT(*), COALESCE(SUM(score), 0),
        COALESCE(SUM(CASE WHEN band = 'healthy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN band = 'at_risk' THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN band = 'critical' THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN last_activity_at >= :activeSince THEN 1 ELSE 0 END), 0), ${cast(':computedAt', 'timestamp')}
      FROM ${source} WHERE ${where}
      ON CONFLICT (tenant_id, day) DO UPDATE SET ${COLS.split(', ').map((c) => `${c} = excluded.${c}`).join(', ')}`;
  }

  /** Recounts the day's totals from the current scores (one pass over the tenant's customer_health rows). */
  async refreshFromCurrent(m: EntityManager, tenantId: string, day: string, computedAt: Date, activeSince: Date): Promise<void> {
    await runSql(m, this.totalsSql('customer_health', 'tenant_id = :tenantId'), { tenantId, day, computedAt, activeSince });
  }

  /** The day's totals from a staging table of scores (a backfilled past day). */
  async writeFromStage(qr: QueryRunner, table: string, tenantId: string, day: string, computedAt: Date, activeSince: Date): Promise<void> {
    await runSql(qr, this.totalsSql(table, '1 = 1'), { tenantId, day, computedAt, activeSince });
  }

  /** Adds one customer's change to the day's totals; false when the day has no totals yet (they need a recount). */
  async applyDelta(m: EntityManager, tenantId: string, day: string, d: SummaryDelta): Promise<boolean> {
    const { affected } = await runSql(
      m,
      `UPDATE health_daily_summaries SET customers = customers + :dc, score_sum = score_sum + :ds, healthy = healthy + :dh,
         at_risk = at_risk + :dr, critical = critical + :dx, active = active + :da
       WHERE tenant_id = :tenantId AND day = :day`,
      { tenantId, day, dc: d.customers, ds: d.scoreSum, dh: d.bands.healthy, dr: d.bands.at_risk, dx: d.bands.critical, da: d.active },
    );
    return affected > 0;
  }

  latest(tenantId: string): Promise<HealthDailySummary | null> {
    return this.ds.manager.findOne(HealthDailySummary, { where: { tenantId }, order: { day: 'DESC' } });
  }

  range(tenantId: string, fromDay: string): Promise<HealthDailySummary[]> {
    return this.ds.manager
      .createQueryBuilder(HealthDailySummary, 's')
      .where('s.tenant_id = :tenantId AND s.day >= :fromDay', { tenantId, fromDay })
      .orderBy('s.day', 'ASC')
      .getMany();
  }

  async prune(tenantId: string, beforeDay: string): Promise<void> {
    await runSql(this.ds, 'DELETE FROM health_daily_summaries WHERE tenant_id = :tenantId AND day < :beforeDay', { tenantId, beforeDay });
  }
}
