import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { LoyaltyTier } from '../../../shared/customer-segments';
import { Customer } from '../../customers';

/**
 * One per customer with loyalty activity. Its row is what a ledger change locks (SELECT .. FOR UPDATE), so
 * balance checks and appends for one customer never interleave.
 */
@Entity('loyalty_accounts')
// Customer list filter by tier.
@Index('ix_loyalty_accounts_tenant_tier', ['tenantId', 'tier'])
// The sweep finds accounts whose tier may change with time alone (grace ends, rolling points age out).
@Index('ix_loyalty_accounts_tier_check', ['nextTierCheckAt'])
export class LoyaltyAccount {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733420000000): the per-row check locked the customer row for every ledger row and lot
  // a sync wrote. CustomersService.hardDelete removes these rows through LoyaltyEraser.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  /** Always the sum of the ledger's points (and of the lots' remaining points); never negative. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  balance: number;

  /** Sum of the ledger's qualifying points (earn + adjust - reversed). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  lifetimeEarned: number;

  @Column({ type: 'varchar', length: 16 })
  tier: LoyaltyTier;

  @Column({ type: COLUMN.timestamp })
  tierSince: Date;

  /** When qualifying points fell below the current tier; the downgrade is due after the grace period. */
  @Column({ type: COLUMN.timestamp, nullable: true })
  belowSince: Date | null;

  /** Time up to which the tier has been evaluated. */
  @Column({ type: COLUMN.timestamp })
  tierEvaluatedAt: Date;

  @Column({ type: COLUMN.timestamp, nullable: true })
  nextTierCheckAt: Date | null;

  /** Sequence number of the last ledger row. */
  @Column({ type: 'int' })
  lastSeq: number;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}
