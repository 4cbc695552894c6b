import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { Customer } from './customer.entity';

/** One row per (customer, tag): what tag filters and tag statistics query. */
@Entity('customer_tags')
@Index('ix_customer_tags_tenant_tag', ['tenantId', 'tag', 'customerId'])
export class CustomerTag {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  tag: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_customer_tags_customer' })
  customer?: Customer;
}
