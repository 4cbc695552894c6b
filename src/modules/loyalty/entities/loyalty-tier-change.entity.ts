import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

/** Tier history: every change with the instant it took effect. */
@Entity('loyalty_tier_changes')
@Index('ix_loyalty_tier_changes_customer', ['tenantId', 'customerId', 'effectiveAt'])
export class LoyaltyTierChange extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733420000000): the per-row check locked the customer row for every ledger row and lot
  // a sync wrote. CustomersService.hardDelete removes these rows through LoyaltyEraser.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'varchar', length: 16 })
  fromTier: string;

  @Column({ type: 'varchar', length: 16 })
  toTier: string;

  @Column({ type: 'varchar', length: 16 })
  reason: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  qualifyingPoints: number;

  @Column({ type: COLUMN.timestamp })
  effectiveAt: Date;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;
}
