import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

export const EVENT_TYPES = ['purchase', 'refund', 'support_ticket', 'work_order', 'contact', 'profile_update', 'note', 'usage', 'login', 'custom'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Names publishers may use for a type. */
export const EVENT_TYPE_ALIASES: Record<string, EventType> = { repair: 'work_order', observation: 'note' };
export const EVENT_TRANSPORTS = ['nats', 'rest', 'replay'] as const;
export type EventTransport = (typeof EVENT_TRANSPORTS)[number];

/** One accepted event: what happened to a customer, stored once per (tenant, event key). */
@Entity('customer_events')
// Idempotency: a redelivered or re-sent event finds its key taken.
@Index('uq_customer_events_tenant_key', ['tenantId', 'eventKey'], { unique: true })
// Timeline and GET /events?customerId: newest first per customer.
@Index('ix_customer_events_customer_time', ['tenantId', 'customerId', 'occurredAt', 'id'])
// GET /events: newest first per tenant.
@Index('ix_customer_events_tenant_time', ['tenantId', 'occurredAt', 'id'])
export class CustomerEvent extends UuidEntity {
  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  tenantId: string;

  @Column({ type: COLUMN.uuid, length: UUID_LENGTH })
  customerId: string;

  // No foreign key (migration 1733300000000): ingestion writes a row per event, and the per-row check locked the
  // customer row each time. CustomersService.hardDelete removes these rows through its erasers.
  @ManyToOne(() => Customer, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  /** Envelope id, else the Nats-Msg-Id header, else `<stream>:<sequence>`. */
  @Column({ type: 'varchar', length: 200 })
  eventKey: string;

  @Column({ type: 'varchar', length: 20 })
  type: EventType;

  @Column({ type: 'varchar', length: 100, nullable: true })
  source: string | null;

  @Column({ type: COLUMN.timestamp })
  occurredAt: Date;

  /** The event's data as accepted (camelCase keys; amounts in major units as sent). */
  @Column({ type: COLUMN.jsonDocument })
  data: Record<string, unknown>;

  @Column({ type: 'varchar', length: 8 })
  transport: EventTransport;

  @Column({ type: 'varchar', length: 300, nullable: true })
  subject: string | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  receivedAt: Date;
}
