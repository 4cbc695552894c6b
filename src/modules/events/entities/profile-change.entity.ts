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

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_profile_changes_customer' })
  customer?: Customer;

  @Column({ type: 'varchar', length: 10 })
  kind: 'created' | 'updated';

  /** { field: { from, to } } */
  @Column({ type: COLUMN.json })
  changes: Record<string, { from: unknown; to: unknown }>;

  @Column({ type: COLUMN.timestamp })
  changedAt: Date;
}
