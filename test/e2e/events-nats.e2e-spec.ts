import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { describeWithNats, eventually, TestPublisher, uniqueNatsNames } from '../support/nats';
import { createTestApp, TestApp } from '../support/test-app';

/** The NATS JetStream ingestion path from outside: publish to subjects, read the API. Needs NATS_URL. */
describeWithNats('events over NATS JetStream', () => {
  const names = uniqueNatsNames('ev');
  const defaultSlug = `nd${randomBytes(4).toString('hex')}`;
  let t: TestApp;
  let pub: TestPublisher;
  let s: TenantSession;
  let ds: DataSource;
  const ref = () => `r-${randomBytes(4).toString('hex')}`;
  const subject = (customerRef: string, type: string, tenant = s.slug) => `${names.prefix}.${tenant}.${customerRef}.${type}`;
  const count = async (sql: string, params: unknown[] = []) => Number((await ds.query(sql, params))[0].n);
  const eventsOf = (customerRef: string) =>
    count('SELECT COUNT(*) AS n FROM customer_events e JOIN customers c ON c.id = e.customer_id WHERE c.external_id = $1'.replace('$1', ds.options.type === 'postgres' ? '$1' : '?'), [customerRef]);
  const deadLetters = async () => (await t.request({ method: 'GET', url: '/api/v1/events/dead-letters?limit=100', token: s.accessToken })).json().data as Array<Record<string, any>>;
  const drained = () => eventually(() => pub.consumerState(names.stream, names.durable), (c) => c.pending === 0 && c.ackPending === 0, 20_000, 'consumer drained');

  beforeAll(async () => {
    t = await createTestApp({ ...names.env, DEFAULT_TENANT: defaultSlug, EVENTS_BATCH_SIZE: '50', EVENTS_MAX_DELIVERIES: '2' });
    ds = t.app.get(DataSource);
    pub = await TestPublisher.connect();
    s = await registerTenant(t);
  });
  afterAll(async () => {
    await t.close();
    await pub.deleteStream(names.stream);
    await pub.close();
  });

  it('stores a published event once its effects commit, then acks it', async () => {
    const r = ref();
    await pub.publish(subject(r, 'purchase'), { id: `p-${r}`, data: { order_id: `o-${r}`, amount: 49.99, currency: 'USD' } });
    await eventually(() => eventsOf(r), (n) => n === 1, 10_000, 'event stored');
    await drained();
    const list = await t.request({ method: 'GET', url: '/api/v1/events?type=purchase&limit=100', token: s.accessToken });
    const ev = list.json().data.find((e: any) => e.key === `p-${r}`);
    expect(ev).toMatchObject({ type: 'purchase', transport: 'nats', subject: subject(r, 'purchase'), data: { orderId: `o-${r}`, amount: 49.99 } });
  });

  it('uses the Nats-Msg-Id header as the identity when the envelope has no id, else stream:sequence', async () => {
    const r = ref();
    await pub.publish(subject(r, 'login'), { data: {} }, `m-${r}`);
    const seq = await pub.publish(subject(r, 'usage'), { data: { apiCalls: 3 } });
    await eventually(() => eventsOf(r), (n) => n === 2, 10_000, 'events stored');
    const again = await t.request({ method: 'POST', url: '/api/v1/events', token: s.accessToken, body: { id: `m-${r}`, type: 'login', customer_id: r } });
    expect(again.json().results[0]).toMatchObject({ status: 'duplicate' });
    const keys = (await t.request({ method: 'GET', url: '/api/v1/events?limit=100', token: s.accessToken })).json().data.map((e: any) => e.key);
    expect(keys).toEqual(expect.arrayContaining([`m-${r}`, `${names.stream}:${seq}`]));
    expect(await eventsOf(r)).toBe(2);
  });

  it('accepts the seed publishers\' subject form customer.events.{customerRef}.{eventType} for DEFAULT_TENANT', async () => {
    const other = await registerTenant(t, defaultSlug);
    expect(other.slug).toBe(defaultSlug);
    const r = ref();
    await pub.publish(`${names.prefix}.${r}.usage`, { data: { api_calls: 120, period: '2026-11' } });
    await eventually(() => eventsOf(r), (n) => n === 1, 10_000, 'seed-form event stored');
    const rows = await ds.query(`SELECT e.tenant_id AS tenant_id FROM customer_events e JOIN customers c ON c.id = e.customer_id WHERE c.external_id = ${ds.options.type === 'postgres' ? '$1' : '?'}`, [r]);
    expect(rows[0].tenant_id).toBe(other.tenantId);
  });

  it('creates one customer when many publishers send first events for the same new reference at once', async () => {
    const r = ref();
    const publishers = await Promise.all([1, 2, 3, 4].map(() => TestPublisher.connect()));
    await Promise.all(publishers.flatMap((p, k) => Array.from({ length: 25 }, (_, i) => p.publish(subject(r, 'usage'), { id: `${r}-${k}-${i}`, data: { apiCalls: 1 } }))));
    await eventually(() => eventsOf(r), (n) => n === 100, 15_000, '100 events stored');
    expect(await count(`SELECT COUNT(*) AS n FROM customers WHERE external_id = ${ds.options.type === 'postgres' ? '$1' : '?'}`, [r])).toBe(1);
    await Promise.all(publishers.map((p) => p.close()));
  });

  it('isolates an event the database keeps failing: the rest of its batch commits, it is dead-lettered after max deliveries', async () => {
    // A trigger stands in for a storage fault that hits one order only.
    if (ds.options.type === 'postgres') {
      await ds.query(`CREATE FUNCTION ciq_test_boom() RETURNS trigger AS $$ BEGIN IF NEW.order_id LIKE 'boom-%' THEN RAISE EXCEPTION 'boom: storage fault'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await ds.query('CREATE TRIGGER ciq_test_boom BEFORE INSERT ON purchases FOR EACH ROW EXECUTE FUNCTION ciq_test_boom()');
    } else {
      await ds.query(`CREATE TRIGGER ciq_test_boom BEFORE INSERT ON purchases WHEN NEW.order_id LIKE 'boom-%' BEGIN SELECT RAISE(ABORT, 'boom: storage fault'); END`);
    }
    const r = ref();
    const seqs = await Promise.all([
      pub.publish(subject(r, 'purchase'), { id: `ok1-${r}`, data: { order_id: `ok1-${r}`, amount: 1 } }),
      pub.publish(subject(r, 'purchase'), { id: `boom-${r}`, data: { order_id: `boom-${r}`, amount: 2 } }),
      pub.publish(subject(r, 'purchase'), { id: `ok2-${r}`, data: { order_id: `ok2-${r}`, amount: 3 } }),
    ]);
    await drained();
    expect(await eventsOf(r)).toBe(2);
    const dl = (await deadLetters()).find((d) => d.messageKey === `${names.stream}:${seqs[1]}`);
    expect(dl).toMatchObject({ attempts: 2, status: 'pending' });
    expect(dl!.reason).toMatch(/Failed 2 deliveries .*boom: storage fault/);
    await ds.query('DROP TRIGGER ciq_test_boom' + (ds.options.type === 'postgres' ? ' ON purchases' : ''));
  });

  describe('dead letters (each message ends as an event, a duplicate or a dead letter)', () => {
    const published: Record<string, number> = {};
    const r = ref();
    beforeAll(async () => {
      published.malformed = await pub.publish(subject(r, 'purchase'), '{"data": {"order_id": "o-1", ');
      published.binary = await pub.publish(subject(r, 'login'), new Uint8Array([0xff, 0xfe, 0x00, 0x81]));
      published.unknownType = await pub.publish(subject(r, 'teleport'), { data: {} });
      published.invalid = await pub.publish(subject(r, 'purchase'), { id: `bad-${r}`, data: { order_id: 'o-2', amount: 'twelve' } });
      published.currency = await pub.publish(subject(r, 'purchase'), { id: `eur-${r}`, data: { order_id: 'o-3', amount: 5, currency: 'EUR' } });
      published.refund = await pub.publish(subject(r, 'refund'), { id: `refund-${r}`, data: { order_id: `later-${r}`, amount: 5 } });
      published.unknownTenant = await pub.publish(subject(r, 'login', `no-such-tenant-${r}`), { data: {} });
      await drained();
    });

    const reasonOf = async (seq: number) => (await deadLetters()).find((d) => d.messageKey === `${names.stream}:${seq}`);

    it('malformed JSON', async () => expect((await reasonOf(published.malformed))?.reason).toMatch(/Malformed JSON/));
    it('a body that is not UTF-8 is kept base64-encoded', async () => {
      const d = await reasonOf(published.binary);
      expect(d).toMatchObject({ payloadEncoding: 'base64', payload: Buffer.from([0xff, 0xfe, 0x00, 0x81]).toString('base64') });
      expect(d!.reason).toMatch(/not UTF-8/);
    });
    it('unknown event type', async () => expect((await reasonOf(published.unknownType))?.reason).toMatch(/Unknown event type "teleport"/));
    it('failed validation names the field', async () => expect((await reasonOf(published.invalid))?.reason).toMatch(/data\.amount: must be a number/));
    it('a currency other than the tenant base currency', async () => expect((await reasonOf(published.currency))?.reason).toMatch(/base currency USD/));
    it('unknown tenant: stored without a tenant (no tenant can see it)', async () => {
      expect(await reasonOf(published.unknownTenant)).toBeUndefined();
      const rows = await ds.query(`SELECT tenant_id, reason FROM dead_letters WHERE message_key = ${ds.options.type === 'postgres' ? '$1' : '?'}`, [`${names.stream}:${published.unknownTenant}`]);
      expect(rows).toHaveLength(1);
      expect(rows[0].tenant_id).toBeNull();
      expect(rows[0].reason).toMatch(/Unknown tenant no-such-tenant/);
    });
    it('writes nothing for a dead-lettered event', async () => {
      const p = ds.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
      expect(await count(`SELECT COUNT(*) AS n FROM customer_events WHERE event_key IN (${p.join(', ')})`, [`bad-${r}`, `eur-${r}`])).toBe(0);
      expect(await count(`SELECT COUNT(*) AS n FROM purchases WHERE order_id IN ('o-2', 'o-3')`)).toBe(0);
    });

    it('replays a dead letter once its cause is fixed (a refund that arrived before its purchase)', async () => {
      const d = (await reasonOf(published.refund))!;
      expect(d.reason).toMatch(/No purchase with orderId/);
      const again = await t.request({ method: 'POST', url: `/api/v1/events/dead-letters/${d.id}/replay`, token: s.accessToken });
      expect(again.json()).toMatchObject({ status: 'rejected', deadLetter: { status: 'pending', attempts: d.attempts + 1 } });
      const orderId = JSON.parse(d.payload).data.order_id;
      const customerRef = d.subject.split('.').slice(-2)[0];
      await pub.publish(subject(customerRef, 'purchase'), { id: `buy-${orderId}`, data: { order_id: orderId, amount: 20 } });
      await drained();
      const ok = await t.request({ method: 'POST', url: `/api/v1/events/dead-letters/${d.id}/replay`, token: s.accessToken });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ status: 'accepted', deadLetter: { status: 'replayed' } });
      expect(ok.json().deadLetter.replayedEventId).toBe(ok.json().eventId);
      const twice = await t.request({ method: 'POST', url: `/api/v1/events/dead-letters/${d.id}/replay`, token: s.accessToken });
      expect(twice.json()).toMatchObject({ status: 'duplicate', eventId: ok.json().eventId });
      const purchase = await ds.query(`SELECT refunded_minor, status FROM purchases WHERE order_id = ${ds.options.type === 'postgres' ? '$1' : '?'}`, [orderId]);
      expect(purchase[0]).toMatchObject({ status: 'partially_refunded' });
      expect(Number(purchase[0].refunded_minor)).toBe(500);
    });

    it('deletes a dead letter; another tenant gets 404 for it', async () => {
      const d = (await reasonOf(published.malformed))!;
      const other = await registerTenant(t);
      expect((await t.request({ method: 'GET', url: `/api/v1/events/dead-letters/${d.id}`, token: other.accessToken })).statusCode).toBe(404);
      expect((await t.request({ method: 'DELETE', url: `/api/v1/events/dead-letters/${d.id}`, token: other.accessToken })).statusCode).toBe(404);
      expect((await t.request({ method: 'DELETE', url: `/api/v1/events/dead-letters/${d.id}`, token: s.accessToken })).statusCode).toBe(204);
      expect(await reasonOf(published.malformed)).toBeUndefined();
    });
  });
});
