import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';

/**
 * Per tenant and UTC day: how many live customers were scored, their score sum and band counts, and how many were
 * active in the 30 days before. Written by every full recompute (today's row) and backfill (past days), kept
 * current in between by the per-customer recomputes; the overview and the trends read it instead of every row.
 */
@Entity('health_daily_summaries')
export class HealthDailySummary {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'int' })
  customers: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  scoreSum: number;

  @Column({ type: 'int' })
  healthy: number;

  @Column({ type: 'int' })
  atRisk: number;

  @Column({ type: 'int' })
  critical: number;

  @Column({ type: 'int' })
  active: number;

  /** The last full recompute (or backfill) of that day. */
  @Column({ type: COLUMN.timestamp })
  computedAt: Date;
}
