import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { Customer } from '../../customers';
import { Segment } from './segment.entity';

/** A customer currently in a segment. */
@Entity('segment_members')
// Per-customer membership checks when one customer's data changes.
@Index('ix_segment_members_customer', ['tenantId', 'customerId'])
export class SegmentMember {
  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  segmentId: string;

  @PrimaryColumn({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @ManyToOne(() => Segment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'segment_id', foreignKeyConstraintName: 'fk_segment_members_segment' })
  segment?: Segment;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_segment_members_customer' })
  customer?: Customer;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.timestamp })
  enteredAt: Date;
}
