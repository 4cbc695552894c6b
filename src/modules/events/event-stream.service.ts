import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { batchOf } from '../../shared/domain-event';
import { CustomerEventRecorded, EVENTS_DOMAIN } from './ingest/ingest.types';

export type LiveEvent = Omit<CustomerEventRecorded, 'tenantId'>;

interface Subscriber {
  tenantId: string;
  customerId: string | null;
  deliver(e: LiveEvent): void;
  close(): void;
}

/**
 * Fans accepted events out to the live streams open on this instance (GET /events/stream). It hears the in-process
 * `event.ingested` domain event, emitted after commit, so a client never sees an event that was rolled back. Events
 * ingested by another instance are not seen here: with several instances a client sees only its own instance's.
 */
@Injectable()
export class EventStreamService implements OnApplicationShutdown {
  private readonly subscribers = new Set<Subscriber>();

  /** Registers a listener for one tenant (and optionally one customer); returns the function that removes it. */
  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  get openStreams(): number {
    return this.subscribers.size;
  }

  @OnEvent(batchOf(EVENTS_DOMAIN.recorded))
  onRecorded(events: CustomerEventRecorded[]): void {
    if (this.subscribers.size === 0) return;
    for (const e of events) {
      const { tenantId, ...live } = e;
      for (const s of this.subscribers) {
        if (s.tenantId === tenantId && (s.customerId === null || s.customerId === e.customerId)) s.deliver(live);
      }
    }
  }

  /** Open streams would keep the HTTP server from closing. */
  onApplicationShutdown(): void {
    for (const s of [...this.subscribers]) s.close();
    this.subscribers.clear();
  }
}
