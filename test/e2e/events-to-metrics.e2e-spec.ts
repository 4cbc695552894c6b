import { createCustomer } from '../factories/customer.factory';
import { drainJobs } from '../factories/purchase.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** From the outside in: purchase and refund events posted to /events end as purchase metrics and loyalty points. */
describe('purchase events through the ingest API to metrics and points', () => {
  let t: TestApp;
  let s: TenantSession;

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
  });
  afterAll(() => t.close());

  it('records purchases and a refund posted as events, then shows metrics, points and context', async () => {
    const c = await createCustomer(t, s.accessToken, { externalId: `pos-${Date.now()}` });
    const at = new Date(Date.now() - 3600_000).toISOString();
    const events = [
      { id: `e1-${c.id}`, type: 'purchase', customer_id: c.externalId, occurred_at: at, data: { orderId: `o1-${c.id}`, amount: 120, currency: 'USD' } },
      { id: `e2-${c.id}`, type: 'purchase', customer_id: c.externalId, occurred_at: at, data: { orderId: `o2-${c.id}`, amount: 80, currency: 'USD' } },
      { id: `e3-${c.id}`, type: 'refund', customer_id: c.externalId, occurred_at: at, data: { orderId: `o1-${c.id}`, amount: 20 } },
    ];
    for (const e of events) {
      const res = await t.request({ method: 'POST', url: '/api/v1/events', token: s.accessToken, body: e });
      expect(res.statusCode).toBe(202);
    }
    await drainJobs(t);
    const get = async (url: string) => (await t.request({ method: 'GET', url, token: s.accessToken })).json();
    expect(await get(`/api/v1/customers/${c.id}/metrics`)).toMatchObject({ totalSpentMinor: 18000, orderCount: 2, isRepeat: true });
    expect(await get(`/api/v1/customers/${c.id}/loyalty`)).toMatchObject({ balance: 180, lifetimeEarned: 180 });
    const ctx = await get(`/api/v1/customers/${c.id}/context`);
    expect(ctx.metrics).toMatchObject({ totalSpentMinor: 18000 });
    expect(ctx.loyalty).toMatchObject({ balance: 180 });
    expect(ctx.health).toHaveProperty('score');
  });
});
