import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { COLUMN, UUID_LENGTH } from '../../../infra/database/column-types';
import { UuidEntity } from '../../../infra/database/base.entity';
import { Customer } from '../../customers';

export const TICKET_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type TicketSeverity = (typeof TICKET_SEVERITIES)[number];
export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Support tickets, upserted by (tenant, ticketId) from support_ticket events. */
@Entity('support_tickets')
@Index('uq_support_tickets_tenant_ticket', ['tenantId', 'ticketId'], { unique: true })
// Health incidents component: tickets opened per customer in a window.
@Index('ix_support_tickets_customer_opened', ['tenantId', 'customerId', 'openedAt'])
// Analytics overview: open tickets of a tenant, counted from the index.
@Index('ix_support_tickets_tenant_status', ['tenantId', 'status'])
export class SupportTicket extends UuidEntity {
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
  ticketId: string;

  @Column({ type: 'varchar', length: 500 })
  subject: string;

  @Column({ type: 'varchar', length: 10 })
  severity: TicketSeverity;

  @Column({ type: 'varchar', length: 10 })
  status: TicketStatus;

  /** When the ticket was first seen (occurred_at of its first event). */
  @Column({ type: COLUMN.timestamp })
  openedAt: Date;

  @Column({ type: COLUMN.timestamp, nullable: true })
  closedAt: Date | null;

  @CreateDateColumn({ type: COLUMN.timestamp })
  createdAt: Date;

  @UpdateDateColumn({ type: COLUMN.timestamp })
  updatedAt: Date;
}
