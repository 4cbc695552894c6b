import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import type { Tenant } from '../../identity';
import { Rounding, TierBasis, TierDef } from '../rules/loyalty-program.rules';

/** A tenant's loyalty program; a tenant without a row runs DEFAULT_PROGRAM. */
@Entity('loyalty_programs')
export class LoyaltyProgram {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @ManyToOne('Tenant', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_loyalty_programs_tenant' })
  tenant?: Tenant;

  @Column({ type: COLUMN.bool })
  enabled: boolean;

  @Column({ type: 'float' })
  pointsPerCurrencyUnit: number;

  @Column({ type: 'varchar', length: 8 })
  rounding: Rounding;

  @Column({ type: 'int', nullable: true })
  expiryDays: number | null;

  @Column({ type: 'varchar', length: 16 })
  tierBasis: TierBasis;

  @Column({ type: COLUMN.json })
  tiers: TierDef[];

  @Column({ type: 'int' })
  downgradeGraceDays: number;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}
