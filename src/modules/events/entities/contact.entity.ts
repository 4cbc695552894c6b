import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

export const CONTACT_CHANNELS = ['email', 'sms', 'call', 'chat', 'visit'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_DIRECTIONS = ['inbound', 'outbound'] as const;
export type ContactDirection = (typeof CONTACT_DIRECTIONS)[number];

/** A conversation with the customer (contact events). */
@Entity('contacts')
@Index('ix_contacts_customer_time', ['tenantId', 'customerId', 'occurredAt'])
export class Contact extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733300000000): ingestion writes a row per event, and the per-row check locked the
  // customer row each time. CustomersService.hardDelete removes these rows through its erasers.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  @Column({ type: 'varchar', length: 8 })
  channel: ContactChannel;

  @Column({ type: 'varchar', length: 8 })
  direction: ContactDirection;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  summary: string | null;

  @Column({ type: COLUMN.timestamp })
  occurredAt: Date;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH, nullable: true })
  eventId: string | null;
}
