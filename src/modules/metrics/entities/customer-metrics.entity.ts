import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';

/**
 * Purchase aggregates of one customer, rebuilt from purchases by the recompute (never edited in place).
 * Customers without purchases have no row; readers treat that as zero spend and zero orders. No foreign key to
 * customers (see the migration): hard deletes remove the row through the customer.deleted event.
 */
@Entity('customer_metrics')
export class CustomerMetrics {
  /** Leads the key so every tenant-scoped read (list filters, nightly refresh) is a key range. */
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @Column({ type: 'varchar', length: 3 })
  currency: string;

  /** Net of refunds, minor units. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  totalSpentMinor: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  grossSpentMinor: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  refundedMinor: number;

  /** Orders not fully refunded. */
  @Column({ type: 'int' })
  orderCount: number;

  /** Orders not fully refunded in the 365 days before computedAt (frequency band input). */
  @Column({ type: 'int' })
  windowOrderCount: number;

  @Column({ type: COLUMN.timestamp, nullable: true })
  firstPurchaseAt: Date | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  lastPurchaseAt: Date | null;

  /** When these values were last written (a recompute that finds nothing changed leaves the row alone). */
  @Column({ type: COLUMN.timestamp })
  computedAt: Date;
}
