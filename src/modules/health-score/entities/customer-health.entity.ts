import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import type { HealthBand } from '../health-score.model';

/**
 * The current health score of a live customer with the inputs it was computed from. No foreign key to customers:
 * the bulk recompute inserts a million rows and the RI check (a FOR KEY SHARE lock on each customer) was most of
 * that cost. A hard delete removes the rows (HealthScoreListener); the scheduled recompute (HEALTH_SCORE_CRON)
 * sweeps rows whose delete event was lost (see migration 1733100000000).
 */
@Entity('customer_health')
// List filters healthMin/healthMax and sortBy healthScore. (Dashboards read health_daily_summaries instead.)
@Index('ix_customer_health_tenant_score', ['tenantId', 'score', 'customerId'])
export class CustomerHealth {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'int' })
  score: number;

  @Column({ type: 'varchar', length: 10 })
  band: HealthBand;

  @Column({ type: 'float' })
  usageScore: number;

  @Column({ type: 'float' })
  engagementScore: number;

  @Column({ type: 'float' })
  incidentsScore: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  apiCalls: number;

  @Column({ type: 'int' })
  logins: number;

  @Column({ type: 'int' })
  tickets: number;

  @Column({ type: 'int' })
  ticketPenalty: number;

  @Column({ type: 'int' })
  configVersion: number;

  /** Latest usage or login inside the window, null when none. */
  @Column({ type: COLUMN.timestamp, nullable: true })
  lastActivityAt: Date | null;

  /**
   * When these values were last written. A bulk recompute leaves unchanged rows alone, so the score is current as
   * of the later of this and the tenant's last full recompute (health_daily_summaries.computed_at).
   */
  @Column({ type: COLUMN.timestamp })
  computedAt: Date;
}
