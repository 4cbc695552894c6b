import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

export const LOYALTY_TRANSACTION_TYPES = ['earn', 'redeem', 'expire', 'adjust', 'reverse'] as const;
export type LoyaltyTransactionType = (typeof LOYALTY_TRANSACTION_TYPES)[number];

/** The append-only points ledger. Rows are never updated or deleted (except with their customer). */
@Entity('loyalty_transactions')
// Idempotency: an order earns once, each refund step reverses once, each lot expires once.
@Index('uq_loyalty_transactions_source', ['tenantId', 'sourceKey'], { unique: true })
// Ledger order per customer, and the transactions page (newest first).
@Index('uq_loyalty_transactions_seq', ['customerId', 'seq'], { unique: true })
// Rolling-window qualifying sums.
@Index('ix_loyalty_transactions_customer_time', ['tenantId', 'customerId', 'occurredAt'])
export class LoyaltyTransaction extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733420000000): the per-row check locked the customer row for every ledger row and lot
  // a sync wrote. CustomersService.hardDelete removes these rows through LoyaltyEraser.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'varchar', length: 10 })
  type: LoyaltyTransactionType;

  /** Signed change of the balance. */
  @Column({ type: 'int' })
  points: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  balanceAfter: number;

  /** Signed effect on tier qualification (earn +, adjust +/-, reverse - what the refund wanted back; else 0). */
  @Column({ type: 'int' })
  qualifyingPoints: number;

  /** Reverse rows: points the refund wanted back but the balance no longer had. */
  @Column({ type: 'int' })
  shortfall: number;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reason: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reference: string | null;

  /** What caused the row, unique per tenant: order:<id>:earn, order:<id>:refund:<refunded>, expire:<lot>, api:<uuid>. */
  @Column({ type: 'varchar', length: 300 })
  sourceKey: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  lotId: string | null;

  /** When the change took effect (an expiry: the lot's expiresAt). */
  @Column({ type: COLUMN.timestamp })
  occurredAt: Date;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;
}
