import { JobQueue } from '../../src/infra/queue';
import { Purchase, PurchasesService } from '../../src/modules/purchases';
import type { TestApp } from '../support/test-app';
import { DomainEventBus } from '../../src/infra/domain-events';

let n = 0;

/**
 * Records a purchase the way the events module does: PurchasesService in a transaction, then the returned domain
 * events emitted after commit (metrics and loyalty listen to them). Amount in major units.
 */
export async function buyFor(t: TestApp, tenantId: string, customerId: string, amount: number, opts: { orderId?: string; occurredAt?: Date; currency?: string } = {}): Promise<Purchase> {
  n += 1;
  const r = await t.app.get(PurchasesService).recordPurchase({
    tenantId, customerId, orderId: opts.orderId ?? `ord-${Date.now().toString(36)}-${n}`, amount, currency: opts.currency ?? 'USD',
    occurredAt: opts.occurredAt ?? new Date(), items: [{ sku: 'SKU-1', name: 'Item', quantity: 1, unitPrice: amount }],
  });
  await t.app.get(DomainEventBus).publishAsync(r.events);
  return r.purchase;
}

/** Refunds part of an order (major units) and emits purchase.refunded. */
export async function refundOf(t: TestApp, tenantId: string, orderId: string, amount: number): Promise<Purchase> {
  const r = await t.app.get(PurchasesService).recordRefund({ tenantId, orderId, amount, occurredAt: new Date() });
  await t.app.get(DomainEventBus).publishAsync(r.events);
  return r.purchase;
}

/** Waits until every queued job (metrics recompute, loyalty sync) has run. */
export function drainJobs(t: TestApp): Promise<void> {
  return t.app.get(JobQueue).drain(20_000);
}
