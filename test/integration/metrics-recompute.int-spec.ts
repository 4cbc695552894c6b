import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import type { MetricsService } from '../../src/modules/metrics';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('metrics recompute (real database)', () => {
  let t: TestApp;
  let s: TenantSession;
  let metrics: MetricsService;
  const customers: string[] = [];

  /** Purchases written straight to the table (as a bulk import would), so only a recompute sees them. */
  async function insertPurchases(customerId: string, rows: Array<{ minor: number; daysAgo: number; refunded?: number }>): Promise<void> {
    const repo = t.app.get(DataSource).getRepository('Purchase');
    for (const r of rows) {
      const refunded = r.refunded ?? 0;
      await repo.insert({
        id: randomUUID(), tenantId: s.tenantId, customerId, orderId: `imp-${randomUUID()}`, amountMinor: r.minor, refundedMinor: refunded, currency: 'USD',
        status: refunded >= r.minor ? 'refunded' : refunded > 0 ? 'partially_refunded' : 'completed', channel: null, items: [], occurredAt: ago(r.daysAgo), sourceEventId: null,
      });
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    metrics = t.app.get((await import('../../src/modules/metrics')).MetricsService);
    s = await registerTenant(t);
    for (let i = 0; i < 6; i++) customers.push((await createCustomer(t, s.accessToken)).id);
    // Customer 0 has more purchases than a chunk holds: a chunk must never split a customer.
    await insertPurchases(customers[0], Array.from({ length: 7 }, (_, i) => ({ minor: 1000, daysAgo: 10 + i * 40 })));
    await insertPurchases(customers[1], [{ minor: 5000, daysAgo: 3 }, { minor: 2000, daysAgo: 500, refunded: 500 }]);
    await insertPurchases(customers[2], [{ minor: 999, daysAgo: 364 }]);
    await insertPurchases(customers[3], [{ minor: 400, daysAgo: 20, refunded: 400 }, { minor: 100, daysAgo: 30 }]);
    await insertPurchases(customers[4], [{ minor: 1, daysAgo: 1 }]);
    // customers[5] never bought.
  });
  afterAll(() => t.close());

  it('recomputes every customer in chunks, with progress up to 100%, matching a per-customer recompute', async () => {
    const progress: number[] = [];
    const result = await metrics.recomputeTenant(s.tenantId, async (p) => void progress.push(p.percent), { now: NOW, chunkPurchases: 3 });
    expect(result).toMatchObject({ rowsWritten: 5, purchases: 13 });
    expect(result.chunks).toBeGreaterThan(2);
    expect(progress[progress.length - 1]).toBe(100);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);

    const all = await Promise.all(customers.map((id) => metrics.getMetrics(s.tenantId, id, NOW)));
    expect(all.map((m) => [m.totalSpentMinor, m.orderCount, m.ordersLast365Days, m.frequencyBand])).toEqual([
      [7000, 7, 7, 'regular'], // 10..250 days ago: all 7 in the window
      [6500, 2, 1, 'one_time'],
      [999, 1, 1, 'one_time'],
      [100, 1, 1, 'one_time'], // the fully refunded order is no order
      [1, 1, 1, 'one_time'],
      [0, 0, 0, null],
    ]);
    expect(all[1].firstPurchaseAt).toEqual(ago(500));
    expect(all[1].lastPurchaseAt).toEqual(ago(3));

    // The per-customer path (what purchase events queue) writes the same rows.
    const before = await t.app.get(DataSource).query('SELECT * FROM customer_metrics ORDER BY customer_id');
    for (const id of customers) await metrics.recomputeCustomer(s.tenantId, id, NOW);
    expect(await t.app.get(DataSource).query('SELECT * FROM customer_metrics ORDER BY customer_id')).toEqual(before);
    // So does the batch path (what purchase events queue: one job with the customers of a batch of events).
    await t.app.get(DataSource).query('DELETE FROM customer_metrics');
    expect(await metrics.recomputeCustomers(s.tenantId, customers, NOW)).toEqual({ customers: 6, written: 5 });
    expect(await t.app.get(DataSource).query('SELECT * FROM customer_metrics ORDER BY customer_id')).toEqual(before);
    // Nothing changed, so a second whole-tenant run rewrites nothing.
    expect((await metrics.recomputeTenant(s.tenantId, async () => undefined, { now: NOW })).rowsWritten).toBe(0);
  });

  it('refreshes the 365-day window nightly as orders age out, without new purchases', async () => {
    await metrics.recomputeTenant(s.tenantId, async () => undefined, { now: NOW });
    expect((await metrics.getMetrics(s.tenantId, customers[2], NOW)).frequencyBand).toBe('one_time');
    const twoDaysLater = new Date(NOW.getTime() + 2 * DAY);
    // Only customers[2]'s order (364 days old) leaves the window.
    expect(await metrics.refreshWindows(twoDaysLater)).toEqual({ tenants: 1, rowsWritten: 1, orphansDropped: 0 });
    const m = await metrics.getMetrics(s.tenantId, customers[2], twoDaysLater);
    expect(m).toMatchObject({ ordersLast365Days: 0, frequencyBand: null, orderCount: 1, totalSpentMinor: 999 });
    expect(m.computedAt).toEqual(twoDaysLater);
  });

  it('drops the row of a hard-deleted customer, and the nightly job drops rows whose customer vanished unseen', async () => {
    const ds = t.app.get(DataSource);
    const rowsOf = async (id: string) => (await ds.getRepository('CustomerMetrics').countBy({ customerId: id })) as number;
    expect(await rowsOf(customers[0])).toBe(1);
    const del = await t.request({ method: 'DELETE', url: `/api/v1/customers/${customers[0]}?hard=true`, token: s.accessToken });
    expect(del.statusCode).toBe(204);
    // The customer.deleted listener runs after the response; wait for it.
    for (let i = 0; i < 50 && (await rowsOf(customers[0])) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await rowsOf(customers[0])).toBe(0);
    // A delete that bypassed the service (no event): only the nightly job can notice.
    await ds.getRepository('Customer').delete({ id: customers[3] });
    expect(await rowsOf(customers[3])).toBe(1);
    expect((await metrics.refreshWindows(NOW)).orphansDropped).toBe(1);
    expect(await rowsOf(customers[3])).toBe(0);
  });

  it('drops the row of a customer whose purchases are gone', async () => {
    await t.app.get(DataSource).query('DELETE FROM purchases WHERE customer_id = $1'.replace('$1', t.app.get(DataSource).options.type === 'postgres' ? '$1' : '?'), [customers[4]]);
    await metrics.recomputeCustomer(s.tenantId, customers[4], NOW);
    expect((await metrics.getMetrics(s.tenantId, customers[4], NOW)).computedAt).toBeNull();
    // In a batch, only the customers without purchases lose their row.
    await t.app.get(DataSource).query('DELETE FROM purchases WHERE customer_id = $1'.replace('$1', t.app.get(DataSource).options.type === 'postgres' ? '$1' : '?'), [customers[2]]);
    await metrics.recomputeCustomers(s.tenantId, [customers[1], customers[2]], NOW);
    expect((await metrics.getMetrics(s.tenantId, customers[2], NOW)).computedAt).toBeNull();
    expect((await metrics.getMetrics(s.tenantId, customers[1], NOW)).totalSpentMinor).toBe(6500);
  });
});
