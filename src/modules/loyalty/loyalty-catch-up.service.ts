import { Injectable, Logger } from '@nestjs/common';
import { TenantsService } from '../identity';
import { PurchasesService } from '../purchases';
import { LoyaltyProgramService } from './loyalty-program.service';
import { earnKey, LoyaltyPurchasesService } from './loyalty-purchases.service';
import { LoyaltyRepository } from './loyalty.repository';

/** How far back the catch-up looks: a day, and slack for a run that did not happen. */
export const CATCH_UP_LOOKBACK_MS = 26 * 3_600_000;
/** Purchases younger than this are left to the sync job their event queued. */
export const CATCH_UP_SETTLE_MS = 15 * 60_000;

/**
 * Points for purchases whose sync job was lost. A purchase's points come from a job queued after its event commits;
 * a process that dies in between (embedded mode keeps queued jobs in memory; with BullMQ, a crash between commit
 * and enqueue) leaves the purchase without them, and the redelivered event is a duplicate that queues nothing.
 * Hourly, every tenant whose program is on: the purchases of the last day (not the last 15 minutes, nor from before
 * the program's last change) without an earn row are synced as their job would have (idempotent: an order earns once).
 */
@Injectable()
export class LoyaltyCatchUpService {
  private readonly log = new Logger('LoyaltyCatchUp');

  constructor(
    private readonly tenants: TenantsService,
    private readonly programs: LoyaltyProgramService,
    private readonly purchases: PurchasesService,
    private readonly repo: LoyaltyRepository,
    private readonly orders: LoyaltyPurchasesService,
  ) {}

  async run(now = new Date()): Promise<{ tenants: number; ordersWithoutEarn: number; pointsEarned: number }> {
    const out = { tenants: 0, ordersWithoutEarn: 0, pointsEarned: 0 };
    const to = new Date(now.getTime() - CATCH_UP_SETTLE_MS);
    for (const tenantId of await this.tenants.ids()) {
      const program = await this.programs.get(tenantId);
      if (!program.enabled) continue;
      // A program just switched on does not pay for purchases made while it was off.
      const from = new Date(Math.max(now.getTime() - CATCH_UP_LOOKBACK_MS, program.updatedAt?.getTime() ?? 0));
      if (from >= to) continue;
      out.tenants += 1;
      for await (const page of this.purchases.orderIdsBetween(tenantId, from, to)) {
        const earned = await this.repo.findBySourceKeys(tenantId, page.map(earnKey));
        // Orders worth no points have no earn row either: they are looked at again, and earn nothing again.
        const missing = page.filter((orderId) => !earned.has(earnKey(orderId)));
        if (!missing.length) continue;
        const r = await this.orders.syncOrders(tenantId, missing, true, now);
        out.ordersWithoutEarn += missing.length;
        out.pointsEarned += r.earned;
      }
    }
    if (out.pointsEarned) this.log.warn(`catch-up: ${out.pointsEarned} point(s) granted for purchases whose sync job was lost (${out.ordersWithoutEarn} order(s) without an earn row)`);
    return out;
  }
}
