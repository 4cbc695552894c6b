import { PurchasesService } from '../../src/modules/purchases';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('PurchasesService (real database)', () => {
  let t: TestApp;
  let s: TenantSession;
  let svc: PurchasesService;
  let customerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    svc = t.app.get(PurchasesService);
    customerId = (await createCustomer(t, s.accessToken)).id as string;
  });
  afterAll(() => t.close());

  const purchase = (orderId: string, amount = 49.99, currency = 'USD') =>
    svc.recordPurchase({ tenantId: s.tenantId, customerId, orderId, amount, currency, occurredAt: new Date('2026-01-02T03:04:05Z'), items: [{ sku: 'A', name: 'Mug', quantity: 1, unitPrice: amount }] });

  it('records a purchase in minor units once per orderId and reports a repeat as a duplicate', async () => {
    const first = await purchase('o-1');
    expect(first.duplicate).toBe(false);
    expect(first.purchase).toMatchObject({ amountMinor: 4999, refundedMinor: 0, status: 'completed', currency: 'USD' });
    expect(first.purchase.items[0].unitPrice).toBe(4999);
    expect(first.events.map((e) => e.name)).toEqual(['purchase.recorded']);
    const again = await purchase('o-1', 10);
    expect(again.duplicate).toBe(true);
    expect(again.purchase.id).toBe(first.purchase.id);
    expect(again.purchase.amountMinor).toBe(4999);
    expect(again.events).toEqual([]);
  });

  it('rejects a currency other than the tenant base currency, writing nothing', async () => {
    await expect(purchase('o-eur', 10, 'EUR')).rejects.toThrow(/base currency USD/);
    expect(await svc.findByOrderId(s.tenantId, 'o-eur')).toBeNull();
  });

  it('refunds partly, then caps a refund at what is left', async () => {
    await purchase('o-2', 100);
    const part = await svc.recordRefund({ tenantId: s.tenantId, orderId: 'o-2', amount: 30, occurredAt: new Date() });
    expect(part.purchase).toMatchObject({ refundedMinor: 3000, status: 'partially_refunded' });
    const rest = await svc.recordRefund({ tenantId: s.tenantId, orderId: 'o-2', amount: 500, occurredAt: new Date() });
    expect(rest.purchase).toMatchObject({ refundedMinor: 10000, status: 'refunded' });
    expect(rest.events[0].payload).toMatchObject({ refundMinor: 7000, refundedMinor: 10000 });
  });

  it('does not find another tenant\'s order', async () => {
    const other = await registerTenant(t);
    await expect(svc.recordRefund({ tenantId: other.tenantId, orderId: 'o-1', amount: 1, occurredAt: new Date() })).rejects.toThrow(/No purchase/);
  });
});
