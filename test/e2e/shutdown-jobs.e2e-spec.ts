import { createCustomer } from '../factories/customer.factory';
import { drainJobs } from '../factories/purchase.factory';
import { registerTenant } from '../factories/tenant.factory';
import { createTestApp } from '../support/test-app';

/**
 * Embedded mode keeps follow-up jobs in memory: a shutdown must run the ones committed events queued (merge windows
 * skipped) before the database closes, or a restart loses points and leaves metrics stale until the nightly run.
 */
describe('shutdown with follow-up jobs queued (in-process queue)', () => {
  it('runs the waiting jobs before the database closes, so a restarted app shows their results', async () => {
    // A long merge window: the second purchase's jobs wait it out, unless shutdown runs them.
    const first = await createTestApp({ JOBS_MERGE_WINDOW_MS: '600000' });
    let second: Awaited<ReturnType<typeof createTestApp>> | undefined;
    try {
      const s = await registerTenant(first);
      const c = await createCustomer(first, s.accessToken, { externalId: `shut-${Date.now()}` });
      const post = async (n: number, amount: number) => {
        const body = { id: `shut-${c.id}-${n}`, type: 'purchase', customer_id: c.externalId, data: { orderId: `shut-o${n}-${c.id}`, amount, currency: 'USD' } };
        expect((await first.request({ method: 'POST', url: '/api/v1/events', token: s.accessToken, body })).statusCode).toBe(202);
      };
      await post(1, 100);
      await drainJobs(first);
      await post(2, 50);
      // The second purchase's metrics job now waits out the window (the queue is not idle).
      await expect(first.app.get((await import('../../src/infra/queue')).JobQueue).drain(300)).rejects.toThrow(/drain/);

      const started = Date.now();
      await first.app.close();
      expect(Date.now() - started).toBeLessThan(10_000);

      second = await createTestApp({}, { db: first.db });
      const get = async (url: string) => (await second!.request({ method: 'GET', url, token: s.accessToken })).json();
      expect(await get(`/api/v1/customers/${c.id}/metrics`)).toMatchObject({ totalSpentMinor: 15000, orderCount: 2 });
      expect(await get(`/api/v1/customers/${c.id}/loyalty`)).toMatchObject({ balance: 150, lifetimeEarned: 150 });
    } finally {
      await second?.close();
      await first.db.drop();
    }
  });
});
