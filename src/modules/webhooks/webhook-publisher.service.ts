import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AudienceRegistry } from '../audience';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { ALL_EVENTS } from './webhook-event-types';
import { DeliveryBatcher, DeliveryRow } from './delivery-batcher';
import { WebhookEndpointCache } from './webhook-endpoint-cache';
import { deterministicEventId } from './webhook-signature';

/** One domain event as it goes out: the body is {id, type, createdAt, tenantId, data}. */
export interface OutboundEvent {
  type: string;
  tenantId: string;
  data: Record<string, unknown>;
  /** The customer it is about: what segment and tier filters test. */
  customerId?: string | null;
  /** For segment.entered/exited: the segment the customer moved in or out of. */
  segmentId?: string | null;
  /** Makes the event id deterministic, so publishing the same event twice delivers it once per endpoint. */
  dedupeKey?: string | null;
}

/** Turns an event into one delivery per matching active endpoint of its tenant and queues their first attempt. */
@Injectable()
export class WebhookPublisher {
  constructor(
    private readonly cache: WebhookEndpointCache,
    private readonly batcher: DeliveryBatcher,
    private readonly audiences: AudienceRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether an active endpoint of the tenant takes this event type (before its audience filters). */
  async hasSubscriber(tenantId: string, type: string): Promise<boolean> {
    return (await this.cache.active(tenantId)).some((ep) => takesType(ep, type));
  }

  /** Returns the number of endpoints the event was queued for. */
  async publish(event: OutboundEvent): Promise<number> {
    const endpoints = await this.cache.active(event.tenantId);
    if (!endpoints.length) return 0;
    const matching: WebhookEndpoint[] = [];
    for (const ep of endpoints) if (await this.matches(ep, event)) matching.push(ep);
    if (!matching.length) return 0;
    const id = event.dedupeKey ? deterministicEventId(event.type, event.dedupeKey) : randomUUID();
    const body = JSON.stringify({ id, type: event.type, createdAt: new Date().toISOString(), tenantId: event.tenantId, data: event.data });
    const rows: DeliveryRow[] = matching.map((ep) => ({
      id: randomUUID(),
      tenantId: event.tenantId,
      endpointId: ep.id,
      eventId: id,
      eventType: event.type,
      body,
      status: 'pending',
      attempts: 0,
      maxAttempts: this.config.webhooks.maxAttempts,
      nextAttemptAt: new Date(),
    }));
    // Stored and queued together with the deliveries of events published in the same tick. A row ignored as a
    // duplicate (same event for the same endpoint) has no job to do: its attempt finds nothing to claim.
    await this.batcher.add(rows);
    return rows.length;
  }

  private async matches(ep: WebhookEndpoint, event: OutboundEvent): Promise<boolean> {
    if (!takesType(ep, event.type)) return false;
    const f = ep.filter;
    if (!f?.segmentId && !f?.tier) return true;
    if (!event.customerId) return false;
    if (f.segmentId && event.segmentId !== f.segmentId) {
      const resolver = this.audiences.audienceResolver();
      if (!resolver || !(await resolver.isMember(event.tenantId, f.segmentId, event.customerId))) return false;
    }
    if (f.tier) {
      const tiers = this.audiences.tierResolver();
      if (!tiers || (await tiers.tierOf(event.tenantId, event.customerId)) !== f.tier) return false;
    }
    return true;
  }
}

/** Whether the endpoint subscribed to this event type (or to every type). */
function takesType(ep: WebhookEndpoint, type: string): boolean {
  return ep.events.includes(ALL_EVENTS) || ep.events.includes(type);
}
