import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

/** A change to a customer's profile (created, or fields changed), for the timeline. */
@Entity('profile_changes')
@Index('ix_profile_changes_customer_time', ['tenantId', 'customerId', 'changedAt', 'id'])
export class ProfileChange extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733400000000): ProfileChangesListener writes under the customer erasure lock and skips
  // customers that are gone; CustomersService.hardDelete removes these rows through CustomerActivityEraser.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'varchar', length: 10 })
  kind: 'created' | 'updated';

  /** { field: { from, to } } */
  @Column({ type: COLUMN.jsonDocument })
  changes: Record<string, { from: unknown; to: unknown }>;

  @Column({ type: COLUMN.timestamp })
  changedAt: Date;
}
