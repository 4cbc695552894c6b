import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CUSTOMER_EVENTS, CustomerChangedEvent } from '../customers';
import { EVENT_INGESTED, HEALTH_EVENTS, HealthRecomputedEvent } from '../health-score';
import { PURCHASE_EVENTS } from '../purchases';
import { SegmentsService } from './segments.service';

interface CustomerScoped {
  tenantId: string;
  customerId: string;
}

/** Loyalty's tier change (another module; named here so this module need not import it). */
const LOYALTY_TIER_CHANGED = 'loyalty.tier_changed';

/** Keeps membership current: a change to a customer's data re-evaluates that customer (a de-duplicated job). */
@Injectable()
export class SegmentsListener {
  private readonly log = new Logger(SegmentsListener.name);

  constructor(private readonly segments: SegmentsService) {}

  @OnEvent(CUSTOMER_EVENTS.created)
  @OnEvent(CUSTOMER_EVENTS.updated)
  @OnEvent(HEALTH_EVENTS.scoreChanged)
  @OnEvent(HEALTH_EVENTS.bandChanged)
  @OnEvent(PURCHASE_EVENTS.recorded)
  @OnEvent(PURCHASE_EVENTS.refunded)
  @OnEvent(EVENT_INGESTED)
  @OnEvent(LOYALTY_TIER_CHANGED)
  async onCustomerData(e: CustomerScoped): Promise<void> {
    // Enqueued at once (the job finds out whether the tenant has segments): an await before the enqueue would let
    // a caller that waits for the queue to drain miss this change.
    await this.safely(() => this.segments.requestCustomerRefresh(e.tenantId, e.customerId));
  }

  @OnEvent(CUSTOMER_EVENTS.deleted)
  async onDeleted(e: CustomerChangedEvent): Promise<void> {
    // A hard delete cascades the memberships away; a soft-deleted customer leaves its segments (segment.exited).
    if (!e.hard) await this.onCustomerData(e);
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
