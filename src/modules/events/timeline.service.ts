import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, Page } from '../../shared/cursor';
import { CustomersService } from '../customers';
import { NotesService } from '../notes';
import { TimelineItemDto, TimelineQueryDto } from './dto/timeline.dto';
import { CustomerEvent, EVENT_TYPES } from './entities/customer-event.entity';
import { EventsRepository } from './events.repository';
import { ProfileChangesRepository } from './profile-changes.repository';

const EVENT_KINDS = EVENT_TYPES.filter((t) => t !== 'note') as string[];

/** One line describing an event on the timeline. */
export function summaryOf(e: Pick<CustomerEvent, 'type' | 'data'>): string {
  /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument -- event data is validated per type at ingest; this only formats it */
  const d = e.data as Record<string, any>;
  switch (e.type) {
    case 'purchase':
      return `Purchase ${d.orderId}: ${d.amount} ${d.currency ?? ''}`.trim();
    case 'refund':
      return `Refund on ${d.orderId}: ${d.amount}`;
    case 'support_ticket':
      return `Ticket ${d.ticketId} ${d.status} (${d.severity}): ${d.subject}`;
    case 'work_order':
      return `Work order ${d.workOrderId} ${d.status}${d.description ? `: ${d.description}` : ''}`;
    case 'contact':
      return `${d.direction === 'inbound' ? 'Inbound' : 'Outbound'} ${d.channel}${d.summary ? `: ${d.summary}` : ''}`;
    case 'profile_update':
      return `Profile update: ${[...Object.keys(d.fields ?? {}), ...(d.addTags?.length ? ['addTags'] : []), ...(d.removeTags?.length ? ['removeTags'] : [])].join(', ')}`;
    case 'usage':
      return `Usage: ${d.apiCalls} API calls${d.period ? ` (${d.period})` : ''}`;
    case 'login':
      return 'Login';
    case 'custom':
      return `${d.name}`;
    default:
      return String(d.text ?? e.type).slice(0, 200);
  }
  /* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument */
}

/**
 * A customer's history newest first: events, notes and profile changes merged from three keyset-paged sources
 * on (time desc, id desc); the cursor is the last item's position, valid for every source.
 */
@Injectable()
export class TimelineService {
  constructor(
    private readonly customers: CustomersService,
    private readonly events: EventsRepository,
    private readonly notes: NotesService,
    private readonly changes: ProfileChangesRepository,
  ) {}

  async page(tenantId: string, customerId: string, q: TimelineQueryDto): Promise<Page<TimelineItemDto>> {
    await this.customers.assertExists(tenantId, customerId);
    const limit = q.limit ?? 20;
    const pos = q.cursor ? decodeCursor(q.cursor) : null;
    const before = pos ? { at: new Date(String(pos.v)), id: pos.id } : null;
    const wanted = new Set(q.type ?? [...EVENT_KINDS, 'note', 'profile_change']);
    const eventTypes = EVENT_KINDS.filter((t) => wanted.has(t));
    const [events, notes, changes] = await Promise.all([
      eventTypes.length ? this.events.list(tenantId, { customerId, types: eventTypes, before, limit: limit + 1 }) : [],
      wanted.has('note') ? this.notes.listBefore(tenantId, customerId, before, limit + 1) : [],
      wanted.has('profile_change') ? this.changes.listBefore(tenantId, customerId, before, limit + 1) : [],
    ]);
    const items: TimelineItemDto[] = [
      ...events.map((e) => ({ kind: 'event' as const, id: e.id, type: e.type, at: e.occurredAt, summary: summaryOf(e), data: { ...e.data, source: e.source } })),
      ...notes.map((n) => ({
        kind: 'note' as const, id: n.id, type: 'note', at: n.createdAt, summary: n.body.slice(0, 200),
        data: { noteType: n.type, body: n.body, pinned: !!n.pinned, authorId: n.authorId, source: n.source },
      })),
      ...changes.map((c) => ({
        kind: 'profile_change' as const, id: c.id, type: 'profile_change', at: c.changedAt,
        summary: c.kind === 'created' ? 'Customer created' : `Profile changed: ${Object.keys(c.changes).join(', ')}`, data: { kind: c.kind, changes: c.changes },
      })),
    ];
    // Millisecond precision on both sides of the comparison, as the sources' cursors use.
    const t = (i: TimelineItemDto) => Math.floor(new Date(i.at).getTime());
    items.sort((a, b) => t(b) - t(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page, page: { limit, nextCursor: items.length > limit && last ? encodeCursor({ v: new Date(last.at).toISOString(), id: last.id }) : null } };
  }
}

