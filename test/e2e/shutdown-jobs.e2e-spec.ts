import { DataSource } from 'typeorm';
import { createCustomer } from '../factories/customer.factory';
import { drainJobs } from '../factories/purchase.factory';
import { registerTenant } from '../factories/tenant.factory';
import { describeWithNats, eventually, TestPublisher, uniqueNatsNames } from '../support/nats';
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

describeWithNats('shutdown while JetStream batches are in flight (in-process queue)', () => {
  it('commits the batches in flight and runs their follow-up jobs: after a restart every stored purchase has its points', async () => {
    const names = uniqueNatsNames('shut');
    const pub = await TestPublisher.connect();
    const first = await createTestApp({ ...names.env, EVENTS_BATCH_SIZE: '20', JOBS_MERGE_WINDOW_MS: '600000' });
    let second: Awaited<ReturnType<typeof createTestApp>> | undefined;
    try {
      const s = await registerTenant(first);
      const ds = first.app.get(DataSource);
      const p = ds.options.type === 'postgres' ? '$1' : '?';
      const stored = async () => Number((await ds.query(`SELECT COUNT(*) AS n FROM purchases WHERE tenant_id = ${p}`, [s.tenantId]))[0].n);
      for (let i = 0; i < 400; i++) {
        await pub.publish(`${names.prefix}.${s.slug}.shut-c${i % 40}.purchase`, { id: `shut-${i}`, data: { order_id: `shut-o${i}`, amount: 10, currency: 'USD' } });
      }
      // Close while the consumer is still working through the stream.
      await eventually(stored, (n) => n > 0, 20_000, 'first purchases stored');
      await first.app.close();

      second = await createTestApp({ ...names.env }, { db: first.db, startMicroservices: false });
      const ds2 = second.app.get(DataSource);
      const rows = await ds2.query(
        `SELECT COUNT(*) AS n FROM purchases pu WHERE pu.tenant_id = ${p} AND NOT EXISTS (SELECT 1 FROM loyalty_transactions t WHERE t.tenant_id = pu.tenant_id AND t.reference = pu.order_id AND t.type = 'earn')`,
        [s.tenantId],
      );
      const purchases = Number((await ds2.query(`SELECT COUNT(*) AS n FROM purchases WHERE tenant_id = ${p}`, [s.tenantId]))[0].n);
      expect(purchases).toBeGreaterThan(0);
      expect(Number(rows[0].n)).toBe(0);
    } finally {
      await second?.close();
      await first.db.drop();
      await pub.deleteStream(names.stream);
      await pub.close();
    }
  });
});
