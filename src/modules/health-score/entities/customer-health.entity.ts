import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { Customer } from '../../customers';
import type { HealthBand } from '../health-score.model';

/** The current health score of a live customer with the inputs it was computed from. */
@Entity('customer_health')
// List filters healthMin/healthMax and sortBy healthScore. (Dashboards read health_daily_summaries instead.)
@Index('ix_customer_health_tenant_score', ['tenantId', 'score', 'customerId'])
export class CustomerHealth {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @OneToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_health_customer' })
  customer?: Customer;

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
