import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint.transformer';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

/** Statuses after which a work order is no longer open. */
export const CLOSED_WORK_ORDER_STATUSES = ['completed', 'cancelled', 'closed'] as const;

/** Field-service work orders (work_order / repair events), upserted by (tenant, workOrderId). */
@Entity('work_orders')
@Index('uq_work_orders_tenant_order', ['tenantId', 'workOrderId'], { unique: true })
@Index('ix_work_orders_customer_opened', ['tenantId', 'customerId', 'openedAt'])
export class WorkOrder extends UuidEntity {
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
  workOrderId: string;

  @Column({ type: 'varchar', length: 30 })
  status: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  description: string | null;

  /** Minor units of `currency` (the tenant's base currency). */
  @Column({ type: 'bigint', nullable: true, transformer: bigintAsNumber })
  costMinor: number | null;

  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  scheduledAt: Date | null;

  @Column({ type: COLUMN.timestamp, nullable: true })
  completedAt: Date | null;

  /** occurred_at of its first event. */
  @Column({ type: COLUMN.timestamp })
  openedAt: Date;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}
