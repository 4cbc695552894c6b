import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

export const PURCHASE_STATUSES = ['completed', 'partially_refunded', 'refunded'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

export interface PurchaseItem {
  sku: string;
  name: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
}

@Entity('purchases')
@Index('uq_purchases_tenant_order', ['tenantId', 'orderId'], { unique: true })
// Per-customer history reads it in time order; the metric recompute reads only this index (every column it
// aggregates is in the key, so Postgres and SQLite answer it without touching the table).
@Index('ix_purchases_customer_metrics', ['tenantId', 'customerId', 'occurredAt', 'status', 'amountMinor', 'refundedMinor'])
@Index('ix_purchases_tenant_time_amounts', ['tenantId', 'occurredAt', 'amountMinor', 'refundedMinor'])
export class Purchase extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733300000000): ingestion writes a row per event, and the per-row check locked the
  // customer row each time. CustomersService.hardDelete removes these rows through its erasers.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'varchar', length: 200 })
  orderId: string;

  /** Gross amount in minor units of `currency`. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amountMinor: number;

  /** Refunded so far, minor units; never more than amountMinor. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  refundedMinor: number;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  @Column({ type: 'varchar', length: 20 })
  status: PurchaseStatus;

  @Column({ type: 'varchar', length: 50, nullable: true })
  channel: string | null;

  @Column({ type: COLUMN.jsonDocument })
  items: PurchaseItem[];

  @Column({ type: COLUMN.timestamp })
  occurredAt: Date;

  /** The customer event that recorded it, when it came from one. */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  sourceEventId: string | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}

/** What a loyalty sync needs of a purchase (PurchasesService.findAmountsByOrderIds). */
export type PurchaseAmounts = Pick<Purchase, 'id' | 'tenantId' | 'customerId' | 'orderId' | 'amountMinor' | 'refundedMinor' | 'currency'>;
