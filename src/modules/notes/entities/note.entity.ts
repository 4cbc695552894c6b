import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { COLUMN, TEXT_LENGTH, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

export const NOTE_TYPES = ['personal', 'preference', 'issue', 'feedback', 'observation'] as const;
export type NoteType = (typeof NOTE_TYPES)[number];

@Entity('notes')
// Listing: pinned first, newest first, per customer.
@Index('ix_notes_customer', ['tenantId', 'customerId', 'pinned', 'createdAt', 'id'])
export class Note extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  @ManyToOne(() => Customer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'customer_id', foreignKeyConstraintName: 'fk_notes_customer' })
  customer?: Customer;

  @Column({ type: 'varchar', length: 16 })
  type: NoteType;

  @Column({ type: COLUMN.text, length: TEXT_LENGTH })
  body: string;

  @Column({ type: COLUMN.bool })
  pinned: boolean;

  /** The user who wrote it (null when an event created it). */
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  authorId: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  source: string | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}
