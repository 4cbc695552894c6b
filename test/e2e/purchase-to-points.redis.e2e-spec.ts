import { randomBytes } from 'crypto';
import { createCustomer } from '../factories/customer.factory';
import { buyFor, drainJobs, refundOf } from '../factories/purchase.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** The production path: purchase events -> BullMQ jobs on Redis -> the same processors -> metrics and points. */
describe('purchase events to metrics and points through BullMQ (Redis)', () => {
  let t: TestApp;
  let s: TenantSession;

  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:6379', QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}` });
    s = await registerTenant(t);
  });
  afterAll(() => t.close());

  const get = (url: string) => t.request({ method: 'GET', url, token: s.accessToken });

  it('updates metrics and loyalty from purchases and refunds', async () => {
    const c = await createCustomer(t, s.accessToken);
    const first = await buyFor(t, s.tenantId, c.id, 120);
    const second = await buyFor(t, s.tenantId, c.id, 80);
    await refundOf(t, s.tenantId, first.orderId, 20);
    await drainJobs(t);
    expect((await get(`/api/v1/customers/${c.id}/metrics`)).json()).toMatchObject({ totalSpentMinor: 18000, orderCount: 2, isRepeat: true, frequencyBand: 'occasional' });
    const loyalty = (await get(`/api/v1/customers/${c.id}/loyalty`)).json();
    expect(loyalty).toMatchObject({ balance: 180, lifetimeEarned: 180, tier: 'bronze', nextTier: 'silver', pointsToNextTier: 820 });
    // Jobs may run after later events were stored (the order sync reads the purchase as it is now), so the rows'
    // order varies; what they are does not.
    const ledger = (await get(`/api/v1/customers/${c.id}/loyalty/transactions`)).json().data;
    const rows = ledger.map((r: { type: string; points: number; reference: string }) => `${r.type} ${r.points} ${r.reference}`).sort();
    expect(rows).toEqual([`earn 120 ${first.orderId}`, `earn 80 ${second.orderId}`, `reverse -20 ${first.orderId}`].sort());
  });

  it('runs the tenant recompute as a BullMQ job whose progress and result the jobs endpoint shows (nothing to change)', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/metrics/recompute', token: s.accessToken });
    expect(res.statusCode).toBe(202);
    await drainJobs(t);
    const job = (await get(res.json().statusUrl)).json();
    expect(job).toMatchObject({ state: 'completed', progress: { percent: 100, totalPurchases: 2 }, result: { rowsWritten: 0, purchases: 2 } });
  });
});
