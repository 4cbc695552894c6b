import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { batchOf, CustomerScoped, distinctCustomers } from '../../shared/domain-event';
import { CUSTOMER_EVENTS, CustomerChangedEvent } from '../customers';
import { EVENT_INGESTED, EventIngestedEvent } from './health-score.events';
import { HealthRecomputeService } from './health-recompute.service';

/** Event types whose effects feed the score. */
const SCORED_EVENT_TYPES = new Set(['usage', 'login', 'support_ticket']);

/** Keeps scores current when their inputs change; the work itself is a de-duplicated job per customer. */
@Injectable()
export class HealthScoreListener {
  private readonly log = new Logger(HealthScoreListener.name);

  constructor(private readonly health: HealthRecomputeService) {}

  @OnEvent(batchOf(EVENT_INGESTED))
  async onIngested(events: EventIngestedEvent[]): Promise<void> {
    await this.recompute(events.filter((e) => SCORED_EVENT_TYPES.has(e.type)));
  }

  @OnEvent(batchOf(CUSTOMER_EVENTS.created))
  async onCreated(events: CustomerChangedEvent[]): Promise<void> {
    await this.recompute(events);
  }

  @OnEvent(CUSTOMER_EVENTS.updated)
  async onUpdated(e: CustomerChangedEvent): Promise<void> {
    // A restore brings the customer back into scoring.
    if (e.changes.deletedAt) await this.safely(() => this.health.requestRecompute(e.tenantId, e.customerId));
  }

  @OnEvent(CUSTOMER_EVENTS.deleted)
  async onDeleted(e: CustomerChangedEvent): Promise<void> {
    // A soft-deleted customer leaves the current scores (and so the totals) but keeps history; a hard delete removes
    // both (no foreign key cascades them) and the totals are recounted.
    await this.safely(() => (e.hard ? this.health.forgetHardDeleted(e.tenantId, e.customerId) : this.health.forget(e.tenantId, e.customerId)));
  }

  private async recompute(events: CustomerScoped[]): Promise<void> {
    if (events.length) await this.safely(() => this.health.requestRecomputes(distinctCustomers(events)));
  }

  /** emit() does not await listeners: a failure here must be logged, not become an unhandled rejection. */
  private async safely(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.log.error(`health-score listener failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
