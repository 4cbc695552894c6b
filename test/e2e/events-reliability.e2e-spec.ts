import { DataSource } from 'typeorm';
import { ensureConsumer, ensureStream, toIncomingMessage } from '../../src/infra/messaging';
import { EventIngestService } from '../../src/modules/events';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { describeWithNats, eventually, TestPublisher, uniqueNatsNames } from '../support/nats';
import { createTestApp } from '../support/test-app';

const count = async (ds: DataSource, sql: string) => Number((await ds.query(sql))[0].n);

/** At-least-once delivery made exactly-once in effect, across redeliveries and app instances. Needs NATS_URL (run on Postgres in CI). */
describeWithNats('event ingestion reliability (JetStream)', () => {
  // Two app instances and thousands of messages: generous on a loaded CI machine (no timing is asserted).
  jest.setTimeout(120_000);
  let pub: TestPublisher;
  beforeAll(async () => (pub = await TestPublisher.connect()));
  afterAll(() => pub.close());

  it('redelivers a message that was processed but not acked, and it produces one row', async () => {
    const names = uniqueNatsNames('redeliver');
    const t = await createTestApp({ ...names.env, EVENTS_ACK_WAIT_MS: '1500' }, { startMicroservices: false });
    try {
      const s = await registerTenant(t);
      const topology = { stream: names.stream, subjectPrefix: names.prefix, durable: names.durable, ackWaitMs: 1500, maxMessageBytes: 1024 * 1024, maxAckPending: 10_000 };
      await ensureStream(await pub.jsm(), topology);
      await ensureConsumer(await pub.jsm(), topology);
      await pub.publish(`${names.prefix}.${s.slug}.cust-1.purchase`, { id: 'evt-1', data: { order_id: 'o-1', amount: 10 } });

      // An instance takes the message and commits its effects, then dies before acking.
      const first = await pub.nc.jetstream().consumers.get(names.stream, names.durable).then((c) => c.next({ expires: 5000 }));
      expect(first?.info.deliveryCount).toBe(1);
      const ingest = t.app.get(EventIngestService);
      expect(await ingest.ingestMessages([toIncomingMessage(first!)])).toEqual([{ action: 'ack' }]);

      // The transport comes up; after ack-wait JetStream hands the message out again.
      await t.app.startAllMicroservices();
      await eventually(() => pub.consumerState(names.stream, names.durable), (c) => c.pending === 0 && c.ackPending === 0, 15_000, 'consumer drained');
      const ds = t.app.get(DataSource);
      expect(ingest.stats.duplicates).toBe(1);
      expect(await count(ds, "SELECT COUNT(*) AS n FROM customer_events WHERE event_key = 'evt-1'")).toBe(1);
      expect(await count(ds, "SELECT COUNT(*) AS n FROM purchases WHERE order_id = 'o-1'")).toBe(1);
    } finally {
      await t.close();
      await pub.deleteStream(names.stream);
    }
  });

  it('two app instances on one durable consumer process each of N events exactly once, and both do work', async () => {
    const names = uniqueNatsNames('pair');
    const env = { ...names.env, EVENTS_BATCH_SIZE: '25' };
    const a = await createTestApp(env);
    const b = await createTestApp(env, { db: a.db });
    try {
      const s: TenantSession = await registerTenant(a);
      const n = 3000;
      const types = ['purchase', 'usage', 'login'] as const;
      const sends: Array<Promise<number>> = [];
      for (let i = 0; i < n; i++) {
        const type = types[i % 3];
        const data = type === 'purchase' ? { order_id: `o-${i}`, amount: (i % 50) + 0.99 } : type === 'usage' ? { api_calls: i % 100 } : {};
        sends.push(pub.publish(`${names.prefix}.${s.slug}.c-${i % 300}.${type}`, { id: `e-${i}`, data }));
      }
      await Promise.all(sends);
      const ds = a.app.get(DataSource);
      await eventually(() => count(ds, 'SELECT COUNT(*) AS n FROM customer_events'), (c) => c === n, 60_000, `${n} events stored`);
      await eventually(() => pub.consumerState(names.stream, names.durable), (c) => c.pending === 0 && c.ackPending === 0, 15_000, 'consumer drained');
      const sa = a.app.get(EventIngestService).stats;
      const sb = b.app.get(EventIngestService).stats;
      expect(sa.accepted + sb.accepted).toBe(n);
      expect(sa.duplicates + sb.duplicates).toBe(0);
      expect(sa.accepted).toBeGreaterThan(0);
      expect(sb.accepted).toBeGreaterThan(0);
      expect(await count(ds, 'SELECT COUNT(*) AS n FROM purchases')).toBe(n / 3);
      expect(await count(ds, 'SELECT COUNT(*) AS n FROM telemetry')).toBe((2 * n) / 3);
      expect(await count(ds, 'SELECT COUNT(*) AS n FROM customers')).toBe(300);
    } finally {
      await b.close();
      await a.close();
      await pub.deleteStream(names.stream);
    }
  });

  it('dead-letters the seed subject form when DEFAULT_TENANT is not configured', async () => {
    const names = uniqueNatsNames('nodefault');
    const t = await createTestApp(names.env);
    try {
      const seq = await pub.publish(`${names.prefix}.cust-9.login`, { data: {} });
      await eventually(() => pub.consumerState(names.stream, names.durable), (c) => c.pending === 0 && c.ackPending === 0, 15_000, 'consumer drained');
      const rows = await t.app.get(DataSource).query(`SELECT tenant_id, reason FROM dead_letters WHERE message_key = '${names.stream}:${seq}'`);
      expect(rows).toHaveLength(1);
      expect(rows[0].tenant_id).toBeNull();
      expect(rows[0].reason).toMatch(/names no tenant and DEFAULT_TENANT is not configured/);
      expect(await count(t.app.get(DataSource), 'SELECT COUNT(*) AS n FROM customer_events')).toBe(0);
    } finally {
      await t.close();
      await pub.deleteStream(names.stream);
    }
  });
});
