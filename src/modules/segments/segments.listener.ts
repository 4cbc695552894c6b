import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { batchOf, CustomerScoped, distinctCustomers } from '../../shared/domain-event';
import { CUSTOMER_EVENTS, CustomerChangedEvent } from '../customers';
import { EVENT_INGESTED, HEALTH_EVENTS, HealthRecomputedEvent } from '../health-score';
import { PURCHASE_EVENTS } from '../purchases';
import { SegmentsService } from './segments.service';

/** Loyalty's tier change (another module; named here so this module need not import it). */
const LOYALTY_TIER_CHANGED = 'loyalty.tier_changed';

/** Keeps membership current: a change to a customer's data re-evaluates that customer (a de-duplicated job). */
@Injectable()
export class SegmentsListener {
  private readonly log = new Logger(SegmentsListener.name);

  constructor(private readonly segments: SegmentsService) {}

  @OnEvent(batchOf(CUSTOMER_EVENTS.created))
  @OnEvent(batchOf(CUSTOMER_EVENTS.updated))
  @OnEvent(batchOf(HEALTH_EVENTS.scoreChanged))
  @OnEvent(batchOf(HEALTH_EVENTS.bandChanged))
  @OnEvent(batchOf(PURCHASE_EVENTS.recorded))
  @OnEvent(batchOf(PURCHASE_EVENTS.refunded))
  @OnEvent(batchOf(EVENT_INGESTED))
  @OnEvent(batchOf(LOYALTY_TIER_CHANGED))
  async onCustomerData(events: CustomerScoped[]): Promise<void> {
    // Enqueued at once (the job finds out whether the tenant has segments): an await before the first enqueue would
    // let a caller that waits for the queue to drain miss this change.
    if (events.length) await this.safely(() => this.segments.requestCustomerRefresh(distinctCustomers(events)));
  }

  @OnEvent(batchOf(CUSTOMER_EVENTS.deleted))
  async onDeleted(events: CustomerChangedEvent[]): Promise<void> {
    // A hard delete cascades the memberships away; a soft-deleted customer leaves its segments (segment.exited).
    await this.onCustomerData(events.filter((e) => !e.hard));
  }

  @OnEvent(HEALTH_EVENTS.recomputed)
  async onHealthRecomputed(e: HealthRecomputedEvent): Promise<void> {
    await this.safely(() => this.segments.requestTenantRefresh(e.tenantId));
  }

  private async safely(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (e) {
      this.log.error(`segments listener failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
