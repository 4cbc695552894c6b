import { Injectable } from '@nestjs/common';
import { PurchasesService } from '../purchases';
import { LoyaltyLedger } from './loyalty-ledger.service';
import { LoyaltyRepository } from './loyalty.repository';
import { pointsForAmount, pointsToReverse } from './rules/loyalty-program.rules';

export interface SyncOrderInput {
  tenantId: string;
  customerId: string;
  orderId: string;
  /** True for purchase.recorded: the order may earn. A refund never creates an earn. */
  award: boolean;
}

export interface SyncOrderResult {
  earned: number;
  reversed: number;
  shortfall: number;
}

/**
 * Points from purchases. One idempotent step per order, run under the account lock: earn once per orderId
 * (order:<id>:earn), then reverse refunds up to the purchase's current refunded total (order:<id>:refund:<total>).
 * It reads the purchase as stored, so duplicate, late or out-of-order events all end in the same ledger.
 */
@Injectable()
export class LoyaltyPurchasesService {
  constructor(
    private readonly repo: LoyaltyRepository,
    private readonly ledger: LoyaltyLedger,
    private readonly purchases: PurchasesService,
  ) {}

  async syncOrder(input: SyncOrderInput, now = new Date()): Promise<SyncOrderResult> {
    const result = { earned: 0, reversed: 0, shortfall: 0 };
    const purchase = await this.purchases.findByOrderId(input.tenantId, input.orderId);
    if (!purchase) return result;
    const ref = { tenantId: purchase.tenantId, customerId: purchase.customerId };
    const earnKey = `order:${purchase.orderId}:earn`;
    return this.ledger.withAccount(
      ref,
      async (ctx) => {
        let earn = await this.repo.findBySourceKey(ref.tenantId, earnKey, ctx.m);
        if (!earn && input.award && ctx.program.enabled) {
          const points = pointsForAmount(purchase.amountMinor, purchase.currency, ctx.program);
          if (points > 0) {
            earn = await this.ledger.credit(ctx, 'earn', points, { reason: 'purchase', reference: purchase.orderId, sourceKey: earnKey });
            result.earned = points;
          }
        }
        if (!earn || purchase.refundedMinor <= 0) return result;
        const owed = pointsToReverse(earn.points, purchase.amountMinor, 0, purchase.refundedMinor);
        const wanted = owed - (await this.repo.reversedForOrder(ref, purchase.orderId, ctx.m));
        if (wanted <= 0) return result;
        const row = await this.ledger.reverse(ctx, wanted, earn.lotId, {
          reason: 'refund', reference: purchase.orderId, sourceKey: `order:${purchase.orderId}:refund:${purchase.refundedMinor}`,
        });
        return { ...result, reversed: -row.points, shortfall: row.shortfall };
      },
      { now },
    );
  }
}
