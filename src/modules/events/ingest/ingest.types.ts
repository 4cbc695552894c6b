import { DomainEvent } from '../../../shared/domain-event';
import { EventTransport } from '../entities/customer-event.entity';
import { EventDraft, Rejection } from './event-envelope';
import { TenantInfo } from './tenant-directory';

/** A valid draft bound to its tenant and identity, ready to be written. */
export interface WriteItem {
  tenant: TenantInfo;
  key: string;
  draft: EventDraft;
  transport: EventTransport;
  subject: string | null;
}

/** What became of one event. 'failed' is transient (storage error): the sender should retry. */
export type EventOutcome =
  | { status: 'accepted'; eventId: string; customerId: string }
  | { status: 'duplicate'; eventId: string | null }
  | { status: 'rejected'; error: Rejection }
  | { status: 'failed'; error: string };

export interface WriteResult {
  /** Aligned with the items written. */
  outcomes: EventOutcome[];
  /** To emit once the transaction has committed. */
  domainEvents: DomainEvent[];
}

/** In-process domain events of the events module. */
export const EVENTS_DOMAIN = {
  /** Every accepted event: { tenantId, customerId, eventId, type, occurredAt }. */
  recorded: 'event.ingested',
  ticketChanged: 'ticket.changed',
  workOrderChanged: 'work-order.changed',
} as const;

export interface CustomerEventRecorded {
  tenantId: string;
  customerId: string;
  eventId: string;
  type: string;
  occurredAt: string;
}

export interface TicketChangedEvent {
  tenantId: string;
  customerId: string;
  ticketId: string;
  status: string;
  severity: string;
  occurredAt: string;
}
