import { randomUUID } from 'crypto';
import { DomainEvent } from '../../../shared/domain-event';
import { addTo } from '../../../shared/multimap';
import { Contact } from '../entities/contact.entity';
import { SupportTicket } from '../entities/support-ticket.entity';
import { Telemetry } from '../entities/telemetry.entity';
import { WorkOrder } from '../entities/work-order.entity';
import { EVENTS_DOMAIN, TicketChangedEvent } from './ingest.types';

/** An accepted event with everything its effects need (pure inputs for the row builders below). */
export interface Accepted {
  tenantId: string;
  customerId: string;
  eventId: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
  /** work_order cost in minor units of the tenant base currency. */
  costMinor?: number | null;
  baseCurrency: string;
}

type TicketRow = Omit<SupportTicket, 'createdAt' | 'updatedAt' | 'customer'>;
type WorkOrderRow = Omit<WorkOrder, 'createdAt' | 'updatedAt' | 'customer'>;

const byTime = (a: Accepted, b: Accepted) => a.occurredAt.getTime() - b.occurredAt.getTime();

function groupBy<T>(list: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of list) addTo(m, key(t), t);
  return m;
}

/**
 * One row per ticket for an upsert (a statement may not touch a row twice): the batch's events for a ticket are
 * applied in occurred_at order, the latest state wins; opened_at is the earliest (kept by the upsert when it exists).
 */
export function ticketRows(events: Accepted[]): { rows: TicketRow[]; domainEvents: DomainEvent[] } {
  const rows: TicketRow[] = [];
  const domainEvents: DomainEvent[] = [];
  for (const group of groupBy(events, (e) => `${e.tenantId}\u0000${e.data.ticketId as string}`).values()) {
    const sorted = [...group].sort(byTime);
    const last = sorted[sorted.length - 1];
    const d = last.data as { ticketId: string; subject: string; severity: SupportTicket['severity']; status: SupportTicket['status'] };
    const closed = d.status === 'resolved' || d.status === 'closed';
    rows.push({
      id: randomUUID(), tenantId: last.tenantId, customerId: last.customerId, ticketId: d.ticketId, subject: d.subject, severity: d.severity,
      status: d.status, openedAt: sorted[0].occurredAt, closedAt: closed ? last.occurredAt : null,
    });
    const payload: TicketChangedEvent = {
      tenantId: last.tenantId, customerId: last.customerId, ticketId: d.ticketId, status: d.status, severity: d.severity, occurredAt: last.occurredAt.toISOString(),
    };
    domainEvents.push({ name: EVENTS_DOMAIN.ticketChanged, payload });
  }
  return { rows, domainEvents };
}

/** One row per work order; later events' fields override earlier ones, absent fields keep what is stored. */
export function workOrderRows(events: Accepted[]): { rows: WorkOrderRow[]; domainEvents: DomainEvent[] } {
  const rows: WorkOrderRow[] = [];
  const domainEvents: DomainEvent[] = [];
  for (const group of groupBy(events, (e) => `${e.tenantId}\u0000${e.data.workOrderId as string}`).values()) {
    const sorted = [...group].sort(byTime);
    const last = sorted[sorted.length - 1];
    const pick = <T>(f: (e: Accepted) => T | undefined | null): T | null => {
      for (let i = sorted.length - 1; i >= 0; i--) {
        const v = f(sorted[i]);
        if (v !== undefined && v !== null) return v;
      }
      return null;
    };
    const costMinor = pick((e) => e.costMinor);
    const row: WorkOrderRow = {
      id: randomUUID(), tenantId: last.tenantId, customerId: last.customerId, workOrderId: last.data.workOrderId as string,
      status: last.data.status as string, description: pick((e) => e.data.description as string | undefined), costMinor,
      currency: costMinor === null ? null : last.baseCurrency, scheduledAt: pick((e) => e.data.scheduledAt as Date | undefined),
      completedAt: pick((e) => e.data.completedAt as Date | undefined), openedAt: sorted[0].occurredAt,
    };
    rows.push(row);
    domainEvents.push({ name: EVENTS_DOMAIN.workOrderChanged, payload: { tenantId: row.tenantId, customerId: row.customerId, workOrderId: row.workOrderId, status: row.status } });
  }
  return { rows, domainEvents };
}

export function contactRows(events: Accepted[]): Array<Omit<Contact, 'customer'>> {
  return events.map((e) => ({
    id: randomUUID(), tenantId: e.tenantId, customerId: e.customerId, channel: e.data.channel as Contact['channel'],
    direction: e.data.direction as Contact['direction'], summary: (e.data.summary as string | undefined) ?? null, occurredAt: e.occurredAt, eventId: e.eventId,
  }));
}

export function telemetryRows(events: Accepted[]): Array<Omit<Telemetry, 'customer'>> {
  return events.map((e) => ({
    id: randomUUID(), tenantId: e.tenantId, customerId: e.customerId, kind: e.type as Telemetry['kind'],
    quantity: e.type === 'usage' ? (e.data.apiCalls as number) : 1, period: (e.data.period as string | undefined) ?? null, occurredAt: e.occurredAt,
    eventId: e.eventId,
  }));
}

const SIGHTINGS = new Set(['purchase', 'refund', 'support_ticket', 'usage', 'login', 'custom', 'work_order']);

/** Events that show the customer was active (lastSeenAt); profile edits, notes and outbound contact do not. */
export function isSighting(e: Pick<Accepted, 'type' | 'data'>): boolean {
  if (e.type === 'contact') return e.data.direction === 'inbound';
  return SIGHTINGS.has(e.type);
}

export interface Activity {
  seenAt: Date | null;
  contactedAt: Date | null;
}

/** Latest sighting and contact per key (customer id, or an unresolved reference), from events of any outcome. */
export function latestActivity<K>(events: Iterable<{ key: K; type: string; data: Record<string, unknown>; occurredAt: Date }>): Map<K, Activity> {
  const per = new Map<K, Activity>();
  const later = (a: Date | null, b: Date) => (a && a >= b ? a : b);
  for (const e of events) {
    const sighting = isSighting(e);
    const contact = e.type === 'contact';
    if (!sighting && !contact) continue;
    let r = per.get(e.key);
    if (!r) per.set(e.key, (r = { seenAt: null, contactedAt: null }));
    if (sighting) r.seenAt = later(r.seenAt, e.occurredAt);
    if (contact) r.contactedAt = later(r.contactedAt, e.occurredAt);
  }
  return per;
}

/** Latest sighting and contact per customer, for one set-based activity update. */
export function activityRows(events: Accepted[]): Array<{ id: string } & Activity> {
  return [...latestActivity(events.map((e) => ({ key: e.customerId, type: e.type, data: e.data, occurredAt: e.occurredAt })))].map(([id, a]) => ({ id, ...a }));
}
