import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Page } from '../../shared/cursor';
import { DomainEvent } from '../../shared/domain-event';
import { isKnownCurrency, toMinorUnits } from '../../shared/money';
import { CustomersService } from '../customers';
import { TenantsService } from '../identity';
import { Purchase, PurchaseAmounts, PurchaseItem } from './entities/purchase.entity';
import { PURCHASE_EVENTS, PurchaseRecordedEvent, PurchaseRefundedEvent } from './purchase.events';
import { PurchasesRepository } from './purchases.repository';

export interface RecordPurchaseInput {
  tenantId: string;
  customerId: string;
  orderId: string;
  /** Major units, e.g. 49.99 */
  amount: number;
  currency: string;
  items?: Array<{ sku: string; name: string; quantity: number; unitPrice: number }>;
  channel?: string | null;
  occurredAt: Date;
  sourceEventId?: string | null;
}

export interface RecordRefundInput {
  tenantId: string;
  orderId: string;
  /** Major units in the purchase's currency. */
  amount: number;
  occurredAt: Date;
}

/** Outcome of one input of recordPurchases(). */
export type BulkRecordOutcome =
  | { status: 'recorded'; purchaseId: string; events: DomainEvent[] }
  | { status: 'duplicate' }
  | { status: 'rejected'; error: AppError };

export interface RecordResult {
  purchase: Purchase;
  /** True when this orderId was already recorded (nothing changed). */
  duplicate: boolean;
  events: DomainEvent[];
}

/** Purchases and refunds in integer minor units of the tenant's base currency. */
@Injectable()
export class PurchasesService implements OnModuleInit {
  constructor(
    private readonly repo: PurchasesRepository,
    private readonly tenants: TenantsService,
    private readonly customers: CustomersService,
  ) {}

  /** purchases has no foreign key to customers (migration 1733300000000): a hard delete removes them itself. */
  onModuleInit(): void {
    this.customers.registerEraser((tenantId, customerId, m) => this.repo.deleteForCustomer(tenantId, customerId, m));
  }

  /** Records a purchase once per orderId. Emits nothing itself: the caller emits `events` after commit. */
  async recordPurchase(input: RecordPurchaseInput, manager?: EntityManager): Promise<RecordResult> {
    await this.customers.assertExists(input.tenantId, input.customerId);
    const tenant = await this.tenants.get(input.tenantId);
    const row = this.prepare(input, tenant.settings.baseCurrency ?? 'USD');
    const { purchase, inserted } = await this.repo.insertIfNew(row, manager);
    if (!inserted) return { purchase, duplicate: true, events: [] };
    return { purchase, duplicate: false, events: [recordedEvent(purchase)] };
  }

  /**
   * recordPurchase for many inputs in one statement (event ingestion). Same rules; an input that breaks one is
   * 'rejected' without writing anything, a repeated orderId is a 'duplicate'. Never aborts the caller's transaction.
   */
  async recordPurchases(inputs: RecordPurchaseInput[], manager: EntityManager): Promise<BulkRecordOutcome[]> {
    const bases = new Map<string, string>();
    // Read in the caller's transaction: it holds the tenant's erasure lock, and a second pool connection could wait
    // behind a hard delete queued for that lock.
    for (const tenantId of new Set(inputs.map((i) => i.tenantId))) bases.set(tenantId, (await this.tenants.get(tenantId, manager)).settings.baseCurrency ?? 'USD');
    const outcomes = new Array<BulkRecordOutcome>(inputs.length);
    const rows: Array<Partial<Purchase> & { id: string }> = [];
    const rowIndex = new Map<string, number>();
    inputs.forEach((input, i) => {
      try {
        const row = { ...this.prepare(input, bases.get(input.tenantId)!), id: randomUUID() };
        rows.push(row);
        rowIndex.set(row.id, i);
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        outcomes[i] = { status: 'rejected', error: e };
      }
    });
    const inserted = await this.repo.insertManyIfNew(rows, manager);
    for (const row of rows) {
      const i = rowIndex.get(row.id)!;
      outcomes[i] = inserted.has(row.id) ? { status: 'recorded', purchaseId: row.id, events: [recordedEvent(row as Purchase)] } : { status: 'duplicate' };
    }
    return outcomes;
  }

  /** Throws the AppError recordPurchase would for this input, without writing (callers validate before side effects). */
  checkPurchase(input: RecordPurchaseInput, baseCurrency: string): void {
    this.prepare(input, baseCurrency);
  }

  /** Validates and converts to the stored row (minor units of the tenant base currency). */
  private prepare(input: RecordPurchaseInput, base: string): Partial<Purchase> {
    const currency = input.currency.toUpperCase();
    if (!isKnownCurrency(currency)) throw AppError.validation('currency', `${input.currency} is not an ISO 4217 currency code`);
    if (currency !== base) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, `currency: ${currency} differs from the tenant's base currency ${base}; amounts are not converted`, [
        { field: 'currency', message: `must be the tenant base currency ${base}` },
      ]);
    }
    const amountMinor = toMinorUnits(input.amount, currency);
    if (amountMinor < 0) throw AppError.validation('amount', 'must not be negative');
    const items: PurchaseItem[] = (input.items ?? []).map((it, i) => ({
      sku: it.sku,
      name: it.name,
      quantity: it.quantity,
      unitPrice: toMinorUnits(it.unitPrice, currency, `items[${i}].unitPrice`),
    }));
    return {
      tenantId: input.tenantId, customerId: input.customerId, orderId: input.orderId, amountMinor, refundedMinor: 0, currency,
      status: 'completed', channel: input.channel ?? null, items, occurredAt: input.occurredAt, sourceEventId: input.sourceEventId ?? null,
    };
  }

  /** Refunds part or all of a purchase; capped at what is left, so a refund never goes below zero. */
  async recordRefund(input: RecordRefundInput, manager?: EntityManager): Promise<RecordResult> {
    const purchase = await this.repo.findByOrderId(input.tenantId, input.orderId, manager);
    if (!purchase) throw new AppError(ErrorCode.NOT_FOUND, `No purchase with orderId ${input.orderId}`, [{ field: 'orderId', message: 'has no recorded purchase' }]);
    const requested = toMinorUnits(input.amount, purchase.currency);
    if (requested <= 0) throw AppError.validation('amount', 'must be greater than zero');
    const refundMinor = Math.min(requested, purchase.amountMinor - purchase.refundedMinor);
    const refundedMinor = purchase.refundedMinor + refundMinor;
    const status = refundedMinor >= purchase.amountMinor ? 'refunded' : refundedMinor > 0 ? 'partially_refunded' : 'completed';
    await this.repo.updateRefund(purchase.id, refundedMinor, status, manager);
    Object.assign(purchase, { refundedMinor, status });
    const payload: PurchaseRefundedEvent = {
      tenantId: purchase.tenantId, customerId: purchase.customerId, purchaseId: purchase.id, orderId: purchase.orderId, refundMinor,
      refundedMinor, amountMinor: purchase.amountMinor, currency: purchase.currency, occurredAt: input.occurredAt.toISOString(),
    };
    return { purchase, duplicate: false, events: [{ name: PURCHASE_EVENTS.refunded, payload }] };
  }

  findByOrderId(tenantId: string, orderId: string): Promise<Purchase | null> {
    return this.repo.findByOrderId(tenantId, orderId);
  }

  findAmountsByOrderIds(tenantId: string, orderIds: string[]): Promise<PurchaseAmounts[]> {
    return this.repo.findAmountsByOrderIds(tenantId, orderIds);
  }

  /** Every order id of the tenant's purchases that occurred in [from, to), `pageSize` at a time, in time order. */
  async *orderIdsBetween(tenantId: string, from: Date, to: Date, pageSize = 1000): AsyncGenerator<string[]> {
    for (let after: { occurredAt: Date; id: string } | null = null; ; ) {
      const page = await this.repo.pageByTime(tenantId, from, to, after, pageSize);
      if (page.length) yield page.map((p) => p.orderId);
      if (page.length < pageSize) return;
      after = page[page.length - 1];
    }
  }

  /** Totals and the latest purchases of one customer (customer context). */
  async summaryForCustomer(tenantId: string, customerId: string, recent = 5): Promise<PurchaseSummary> {
    const [totals, latest] = await Promise.all([this.repo.totalsForCustomer(tenantId, customerId), this.repo.latestForCustomer(tenantId, customerId, recent)]);
    const tenant = await this.tenants.get(tenantId);
    return {
      currency: totals.currency ?? tenant.settings.baseCurrency ?? 'USD',
      orderCount: totals.orderCount,
      grossMinor: totals.grossMinor,
      refundedMinor: totals.refundedMinor,
      netMinor: totals.grossMinor - totals.refundedMinor,
      firstPurchaseAt: totals.firstPurchaseAt,
      lastPurchaseAt: totals.lastPurchaseAt,
      recent: latest.map((p) => ({ orderId: p.orderId, amountMinor: p.amountMinor, refundedMinor: p.refundedMinor, status: p.status, occurredAt: p.occurredAt })),
    };
  }

  async getByOrderId(tenantId: string, orderId: string): Promise<Purchase> {
    const p = await this.repo.findByOrderId(tenantId, orderId);
    if (!p) throw AppError.notFound(ErrorCode.PURCHASE_NOT_FOUND, 'Purchase with orderId', orderId);
    return p;
  }

  /** A customer's purchases, newest first, keyset-paged. */
  async listForCustomer(tenantId: string, customerId: string, q: { limit?: number; cursor?: string }): Promise<Page<Purchase>> {
    await this.customers.assertExists(tenantId, customerId);
    const limit = q.limit ?? 20;
    const r = await this.repo.listForCustomer(tenantId, customerId, limit, q.cursor);
    return { data: r.rows, page: { limit, nextCursor: r.nextCursor } };
  }
}

export interface PurchaseSummary {
  currency: string;
  orderCount: number;
  grossMinor: number;
  refundedMinor: number;
  netMinor: number;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
  recent: Array<{ orderId: string; amountMinor: number; refundedMinor: number; status: Purchase['status']; occurredAt: Date }>;
}

function recordedEvent(p: Purchase): DomainEvent {
  const payload: PurchaseRecordedEvent = {
    tenantId: p.tenantId, customerId: p.customerId, purchaseId: p.id, orderId: p.orderId, amountMinor: p.amountMinor, currency: p.currency,
    occurredAt: p.occurredAt.toISOString(),
  };
  return { name: PURCHASE_EVENTS.recorded, payload };

}
