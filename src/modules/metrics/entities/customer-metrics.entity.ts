import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { Customer } from '../../customers';

/**
 * Purchase aggregates of one customer, rebuilt from purchases by the recompute (never edited in place).
 * Customers without purchases have no row; readers treat that as zero spend and zero orders.
 */
@Entity('customer_metrics')
// List filters and sorts by spend / last purchase within a tenant.
@Index('ix_customer_metrics_tenant_spent', ['tenantId', 'totalSpentMinor'])
@Index('ix_customer_metrics_tenant_last_purchase', ['tenantId', 'lastPurchaseAt'])
export class CustomerMetrics {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_metrics_customer' })
  customer?: Customer;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

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

  @Column({ type: COLUMN.timestamp })
  computedAt: Date;
}
