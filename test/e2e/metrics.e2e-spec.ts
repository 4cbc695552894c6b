import { DataSource } from 'typeorm';
import { randomUUID } from 'crypto';
import { PurchasesService } from '../../src/modules/purchases';
import { createCustomer } from '../factories/customer.factory';
import { buyFor, drainJobs, refundOf } from '../factories/purchase.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

describe('purchase metrics API', () => {
  let t: TestApp;
  let s: TenantSession;
  const get = (url: string, token = s.accessToken) => t.request({ method: 'GET', url, token });
  const ids = (res: { json(): { data: Array<{ id: string }> } }) => res.json().data.map((c) => c.id);

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
  });
  afterAll(() => t.close());

  it('computes totals, order value, dates, repeat, band and CLV from purchase events, net of refunds', async () => {
    const c = await createCustomer(t, s.accessToken);
    await buyFor(t, s.tenantId, c.id, 40, { occurredAt: ago(200) });
    await buyFor(t, s.tenantId, c.id, 60, { occurredAt: ago(100), orderId: `o-${c.id}-2` });
    await buyFor(t, s.tenantId, c.id, 25.5, { occurredAt: ago(10), orderId: `o-${c.id}-3` });
    await refundOf(t, s.tenantId, `o-${c.id}-2`, 10);
    await drainJobs(t);
    const res = await get(`/api/v1/customers/${c.id}/metrics`);
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m).toMatchObject({
      currency: 'USD', totalSpentMinor: 11550, grossSpentMinor: 12550, refundedMinor: 1000, orderCount: 3, averageOrderValueMinor: 3850,
      isRepeat: true, ordersLast365Days: 3, frequencyBand: 'occasional', daysSinceLastPurchase: 10,
    });
    expect(new Date(m.firstPurchaseAt).getTime()).toBeCloseTo(ago(200).getTime(), -5);
    expect(m.clv).toMatchObject({ historicalMinor: 11550, model: 'rate-recency-v1' });
    expect(m.clv.predicted12mMinor).toBeGreaterThan(0);
  });

  it('does not count a fully refunded order as an order', async () => {
    const c = await createCustomer(t, s.accessToken);
    const p = await buyFor(t, s.tenantId, c.id, 30);
    await buyFor(t, s.tenantId, c.id, 20);
    await refundOf(t, s.tenantId, p.orderId, 30);
    await drainJobs(t);
    expect((await get(`/api/v1/customers/${c.id}/metrics`)).json()).toMatchObject({ totalSpentMinor: 2000, orderCount: 1, isRepeat: false, frequencyBand: 'one_time' });
  });

  it('answers zeros for a customer without purchases and 404 for another tenant', async () => {
    const c = await createCustomer(t, s.accessToken);
    expect((await get(`/api/v1/customers/${c.id}/metrics`)).json()).toMatchObject({ totalSpentMinor: 0, orderCount: 0, frequencyBand: null, daysSinceLastPurchase: null, clv: { predicted12mMinor: 0 } });
    const other = await registerTenant(t);
    const res = await get(`/api/v1/customers/${c.id}/metrics`, other.accessToken);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('pages a customer\'s purchases newest first and reads one by orderId', async () => {
    const c = await createCustomer(t, s.accessToken);
    for (let i = 1; i <= 3; i++) await buyFor(t, s.tenantId, c.id, i, { orderId: `page-${c.id}-${i}`, occurredAt: ago(10 - i) });
    const first = await get(`/api/v1/customers/${c.id}/purchases?limit=2`);
    expect(first.json().data.map((p: { orderId: string }) => p.orderId)).toEqual([`page-${c.id}-3`, `page-${c.id}-2`]);
    const second = await get(`/api/v1/customers/${c.id}/purchases?limit=2&cursor=${first.json().page.nextCursor}`);
    expect(second.json().data.map((p: { orderId: string }) => p.orderId)).toEqual([`page-${c.id}-1`]);
    expect(second.json().page.nextCursor).toBeNull();
    const one = await get(`/api/v1/purchases/page-${c.id}-2`);
    expect(one.json()).toMatchObject({ orderId: `page-${c.id}-2`, amountMinor: 200, netMinor: 200, currency: 'USD', status: 'completed' });
    const other = await registerTenant(t);
    expect((await get(`/api/v1/purchases/page-${c.id}-2`, other.accessToken)).json().error.code).toBe('PURCHASE_NOT_FOUND');
  });

  it('rejects an unknown or foreign currency with a reason naming the field, writing nothing', async () => {
    const c = await createCustomer(t, s.accessToken);
    const svc = t.app.get(PurchasesService);
    const base = { tenantId: s.tenantId, customerId: c.id, amount: 10, occurredAt: new Date() };
    await expect(svc.recordPurchase({ ...base, orderId: 'cur-xyz', currency: 'XYZ' })).rejects.toMatchObject({ status: 400, details: [{ field: 'currency' }] });
    await expect(svc.recordPurchase({ ...base, orderId: 'cur-eur', currency: 'EUR' })).rejects.toThrow(/differs from the tenant's base currency USD/);
    expect((await get(`/api/v1/customers/${c.id}/purchases`)).json().data).toEqual([]);
  });

  describe('customer list', () => {
    let big: string;
    let small: string;
    let none: string;
    let u: TenantSession;

    beforeAll(async () => {
      u = await registerTenant(t);
      big = (await createCustomer(t, u.accessToken)).id;
      small = (await createCustomer(t, u.accessToken)).id;
      none = (await createCustomer(t, u.accessToken)).id;
      for (let i = 0; i < 5; i++) await buyFor(t, u.tenantId, big, 100, { occurredAt: ago(30 + i) });
      await buyFor(t, u.tenantId, small, 20, { occurredAt: ago(400) });
      await drainJobs(t);
    });
    const list = (qs: string) => get(`/api/v1/customers?${qs}`, u.accessToken);

    it('filters by spend (minor units), counting customers without purchases as 0', async () => {
      expect(ids(await list('totalSpentMin=10000'))).toEqual([big]);
      expect(new Set(ids(await list('totalSpentMax=2000')))).toEqual(new Set([small, none]));
      expect(ids(await list('totalSpentMin=1000&totalSpentMax=5000'))).toEqual([small]);
    });

    it('filters by order count, repeat, frequency band and last purchase date', async () => {
      expect(ids(await list('orderCountMin=2'))).toEqual([big]);
      expect(ids(await list('isRepeat=true'))).toEqual([big]);
      expect(new Set(ids(await list('isRepeat=false')))).toEqual(new Set([small, none]));
      expect(ids(await list('frequencyBand=regular'))).toEqual([big]);
      // small's only order is older than 365 days: no band.
      expect(ids(await list('frequencyBand=one_time,occasional'))).toEqual([]);
      expect(ids(await list(`lastPurchaseFrom=${ago(60).toISOString()}`))).toEqual([big]);
      expect(ids(await list(`lastPurchaseTo=${ago(60).toISOString()}`))).toEqual([small]);
    });

    it('sorts by total spent and by last purchase, keyset pages included', async () => {
      const p1 = await list('sortBy=totalSpent&sortOrder=desc&limit=2');
      expect(ids(p1)).toEqual([big, small]);
      const p2 = await list(`sortBy=totalSpent&sortOrder=desc&limit=2&cursor=${p1.json().page.nextCursor}`);
      expect(ids(p2)).toEqual([none]);
      const byLast = [];
      let cursor = '';
      for (let i = 0; i < 3; i++) {
        const page = await list(`sortBy=lastPurchaseAt&sortOrder=asc&limit=1${cursor}`);
        byLast.push(...ids(page));
        cursor = `&cursor=${page.json().page.nextCursor}`;
      }
      expect(byLast).toEqual([none, small, big]);
    });

    it('uses the tenant\'s band thresholds as soon as they change, and validates them', async () => {
      const bad = await t.request({ method: 'PUT', url: '/api/v1/metrics/settings', token: u.accessToken, body: { frequencyBands: { occasional: 3, regular: 3, frequent: 10 } } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details).toEqual([{ field: 'frequencyBands.regular', message: 'must be greater than occasional' }]);
      const ok = await t.request({ method: 'PUT', url: '/api/v1/metrics/settings', token: u.accessToken, body: { frequencyBands: { occasional: 2, regular: 3, frequent: 5 } } });
      expect(ok.statusCode).toBe(200);
      expect(ids(await list('frequencyBand=frequent'))).toEqual([big]);
      expect((await get(`/api/v1/customers/${big}/metrics`, u.accessToken)).json().frequencyBand).toBe('frequent');
    });

    it('rejects malformed filter values naming the parameter', async () => {
      const neg = await list('totalSpentMin=-1');
      expect(neg.statusCode).toBe(400);
      expect(neg.json().error.details[0].field).toBe('totalSpentMin');
      expect((await list('frequencyBand=sometimes')).json().error.details[0].field).toBe('frequencyBand');
      expect((await list('isRepeat=maybe')).json().error.details[0].field).toBe('isRepeat');
      expect((await list('lastPurchaseFrom=yesterday')).json().error.details[0].field).toBe('lastPurchaseFrom');
    });
  });

  it('recomputes the whole tenant as a job (admin only) and shows its progress and result', async () => {
    const v = await registerTenant(t);
    const c = await createCustomer(t, v.accessToken);
    // Rows written straight to the table (as an import would), with no events: only the recompute sees them.
    const purchases = t.app.get(DataSource).getRepository('Purchase');
    for (const [i, amountMinor] of [1500, 2500].entries()) {
      await purchases.insert({
        id: randomUUID(), tenantId: v.tenantId, customerId: c.id, orderId: `import-${i}`, amountMinor, refundedMinor: 0, currency: 'USD',
        status: 'completed', channel: null, items: [], occurredAt: ago(5), sourceEventId: null,
      });
    }
    expect((await get(`/api/v1/customers/${c.id}/metrics`, v.accessToken)).json().totalSpentMinor).toBe(0);
    const agent = await tokenForRole(t, v, 'agent');
    expect((await t.request({ method: 'POST', url: '/api/v1/metrics/recompute', token: agent })).statusCode).toBe(403);
    const started = await t.request({ method: 'POST', url: '/api/v1/metrics/recompute', token: v.accessToken });
    expect(started.statusCode).toBe(202);
    const { jobId, statusUrl } = started.json();
    expect(started.headers.location).toBe(statusUrl);
    await drainJobs(t);
    const job = await get(statusUrl, v.accessToken);
    expect(job.json()).toMatchObject({ id: jobId, state: 'completed', progress: { percent: 100, processedPurchases: 2, totalPurchases: 2 }, result: { rowsWritten: 1, purchases: 2 } });
    expect((await get(`/api/v1/customers/${c.id}/metrics`, v.accessToken)).json()).toMatchObject({ totalSpentMinor: 4000, orderCount: 2 });
    // Another tenant cannot see the job.
    expect((await get(statusUrl)).statusCode).toBe(404);
  });
});
