import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import type { HealthBand } from '../health-score.model';

/** One score per customer and UTC day (the day's latest computation); kept 400 days. No foreign key (see CustomerHealth). */
@Entity('customer_health_history')
// Trends: daily averages and band counts per tenant; pruning by day.
@Index('ix_customer_health_history_tenant_day', ['tenantId', 'day'])
export class CustomerHealthHistory {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  /** UTC day, YYYY-MM-DD (text so that every driver compares it the same way). */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: 'int' })
  score: number;

  @Column({ type: 'varchar', length: 10 })
  band: HealthBand;

  @Column({ type: 'int' })
  configVersion: number;
}
