import { Injectable } from '@nestjs/common';
import { addTo } from '../../shared/multimap';
import { PurchaseAmounts, PurchasesService } from '../purchases';
import { LedgerContext } from './ledger-context';
import { LoyaltyLedger } from './loyalty-ledger.service';
import { LoyaltyRepository } from './loyalty.repository';
import { LoyaltyTransaction } from './entities/loyalty-transaction.entity';
import { pointsForAmount, pointsToReverse } from './rules/loyalty-program.rules';

/** Orders synced per transaction by syncOrders (about: a customer's orders are never split), accounts locked together. */
const SYNC_CHUNK = 500;
/** Orders whose purchases syncOrders reads (one statement) and groups by customer before it splits them into chunks. */
const READ_WINDOW = 5000;

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
    const purchase = await this.purchases.findByOrderId(input.tenantId, input.orderId);
    if (!purchase) return { earned: 0, reversed: 0, shortfall: 0 };
    return this.ledger.withAccount({ tenantId: purchase.tenantId, customerId: purchase.customerId }, (ctx) => this.syncInAccount(ctx, purchase, input.award), { now });
  }

  /**
   * syncOrder for many orders of a tenant (the purchases of a batch of events). The purchases are read READ_WINDOW
   * at a time and grouped by customer; each group of customers with about SYNC_CHUNK orders is synced in one
   * transaction (LoyaltyLedger.withAccounts), its earn rows read in one statement. Grouping by customer first means a
   * customer's account is locked, read and saved once per window, not once for every chunk one of its orders fell in.
   */
  async syncOrders(tenantId: string, orderIds: string[], award: boolean, now = new Date()): Promise<{ orders: number; earned: number; reversed: number }> {
    const total = { orders: 0, earned: 0, reversed: 0 };
    for (let i = 0; i < orderIds.length; i += READ_WINDOW) {
      const byCustomer = new Map<string, PurchaseAmounts[]>();
      for (const p of await this.purchases.findAmountsByOrderIds(tenantId, orderIds.slice(i, i + READ_WINDOW))) addTo(byCustomer, p.customerId, p);
      for (const chunk of chunksOf(byCustomer, SYNC_CHUNK)) {
        const r = await this.syncChunk(tenantId, chunk, award, now);
        total.orders += r.orders;
        total.earned += r.earned;
        total.reversed += r.reversed;
      }
    }
    return total;
  }

  private syncChunk(tenantId: string, byCustomer: Map<string, PurchaseAmounts[]>, award: boolean, now: Date): Promise<{ orders: number; earned: number; reversed: number }> {
    return this.ledger.withAccounts(tenantId, [...byCustomer.keys()], async (ctxs, m) => {
      const sum = { orders: 0, earned: 0, reversed: 0 };
      const live = [...byCustomer].flatMap(([customerId, purchases]) => (ctxs.has(customerId) ? purchases : []));
      const earns = await this.repo.findBySourceKeys(tenantId, live.map((p) => earnKey(p.orderId)), m);
      for (const [customerId, purchases] of byCustomer) {
        const ctx = ctxs.get(customerId);
        // Hard-deleted since its orders were read: the erasure took its purchases too.
        if (!ctx) continue;
        for (const p of purchases) {
          const one = await this.syncInAccount(ctx, p, award, earns.get(earnKey(p.orderId)) ?? null);
          sum.orders++;
          sum.earned += one.earned;
          sum.reversed += one.reversed;
        }
      }
      return sum;
    }, { now });
  }

  /** Inside the account's transaction: earn once per orderId, then reverse refunds up to the purchase's refunded total. */
  private async syncInAccount(ctx: LedgerContext, purchase: PurchaseAmounts, award: boolean, knownEarn?: LoyaltyTransaction | null): Promise<SyncOrderResult> {
    const result = { earned: 0, reversed: 0, shortfall: 0 };
    const ref = ctx.ref;
    const key = earnKey(purchase.orderId);
    let earn = knownEarn !== undefined ? knownEarn : await this.repo.findBySourceKey(ref.tenantId, key, ctx.m);
    if (!earn && award && ctx.program.enabled) {
      const points = pointsForAmount(purchase.amountMinor, purchase.currency, ctx.program);
      if (points > 0) {
        earn = await this.ledger.credit(ctx, 'earn', points, { reason: 'purchase', reference: purchase.orderId, sourceKey: key });
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
  }
}

/** The ledger key of an order's earn row (unique per tenant). */
export function earnKey(orderId: string): string {
  return `order:${orderId}:earn`;
}

/** The customers' groups in consecutive maps of about `size` items each (a group is never split). */
function* chunksOf<K, V>(groups: Map<K, V[]>, size: number): Generator<Map<K, V[]>> {
  let chunk = new Map<K, V[]>();
  let n = 0;
  for (const [key, items] of groups) {
    chunk.set(key, items);
    n += items.length;
    if (n >= size) {
      yield chunk;
      chunk = new Map();
      n = 0;
    }
  }
  if (chunk.size) yield chunk;
}
