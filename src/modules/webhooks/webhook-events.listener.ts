import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { batchOf } from '../../shared/domain-event';
import { addTo } from '../../shared/multimap';
import { CustomerChangedEvent, toCustomerDto } from '../customers';
import { WEBHOOK_EVENT_TYPES } from './webhook-event-types';
import { OutboundEvent, WebhookPublisher } from './webhook-publisher.service';

const CUSTOMER_TYPES = new Set(['customer.created', 'customer.updated', 'customer.deleted']);

/** Payload fields that steer delivery and do not belong in the webhook body. */
const CONTROL_FIELDS = new Set(['tenantId', 'dedupeKey']);

/**
 * The one bridge from in-process domain events to webhooks: subscribes to every type in WEBHOOK_EVENT_TYPES.
 * Owners emit plain payloads carrying tenantId (and customerId when the event is about a customer); an optional
 * `dedupeKey` makes a re-emitted event keep its id.
 */
@Injectable()
export class WebhookEventsListener implements OnModuleInit {
  private readonly log = new Logger('Webhooks');

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly publisher: WebhookPublisher,
  ) {}

  onModuleInit(): void {
    // The listener returns its promise on purpose: publishAsync callers (services that publish after commit) wait
    // for the deliveries to be stored before they answer; handle() never rejects. The batch form: event ingestion
    // publishes a thousand events at once, and most have no endpoint to go to.
    for (const type of WEBHOOK_EVENT_TYPES) {
      // eslint-disable-next-line @typescript-eslint/no-misused-promises
      this.emitter.on(batchOf(type), (payloads: unknown[]) => this.handle(type, payloads));
    }
  }

  private async handle(type: string, payloads: unknown[]): Promise<void> {
    // Whether a tenant has an endpoint for this type is asked once per tenant and batch, before any body is built
    // (one await per tenant, not a promise per payload: most events have no endpoint to go to). The events go out
    // together: deliveries published in the same tick are stored and queued in one statement.
    const byTenant = new Map<string | null, unknown[]>();
    for (const payload of payloads) {
      const tenantId = (payload as { tenantId?: unknown } | null)?.tenantId;
      addTo(byTenant, typeof tenantId === 'string' ? tenantId : null, payload);
    }
    await Promise.all([...byTenant].map(([tenantId, list]) => this.handleTenant(type, tenantId, list)));
  }

  private async handleTenant(type: string, tenantId: string | null, payloads: unknown[]): Promise<void> {
    try {
      if (tenantId !== null && !(await this.publisher.hasSubscriber(tenantId, type))) return;
    } catch (e) {
      this.log.error(`could not queue webhook deliveries for ${type}: ${(e as Error).message}`);
      return;
    }
    await Promise.all(payloads.map((payload) => this.handleOne(type, payload)));
  }

  private async handleOne(type: string, payload: unknown): Promise<void> {
    try {
      const event = toOutboundEvent(type, payload);
      if (!event) {
        this.log.warn(`${type} without a tenantId: not delivered`);
        return;
      }
      await this.publisher.publish(event);
    } catch (e) {
      this.log.error(`could not queue webhook deliveries for ${type}: ${(e as Error).message}`);
    }
  }
}

/** The webhook view of a domain event payload; customer entities become their API representation. */
export function toOutboundEvent(type: string, payload: unknown): OutboundEvent | null {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (typeof p.tenantId !== 'string') return null;
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  let data: Record<string, unknown>;
  if (CUSTOMER_TYPES.has(type) && p.customer) {
    const c = p as unknown as CustomerChangedEvent;
    data = { customerId: c.customerId, customer: toCustomerDto(c.customer), changes: c.changes ?? {}, ...(c.hard !== undefined ? { hard: c.hard } : {}) };
  } else {
    data = Object.fromEntries(Object.entries(p).filter(([k]) => !CONTROL_FIELDS.has(k)));
  }
  return { type, tenantId: p.tenantId, data, customerId: str(p.customerId), segmentId: str(p.segmentId), dedupeKey: str(p.dedupeKey) };
}
