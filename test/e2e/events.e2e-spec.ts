import { randomBytes } from 'crypto';
import { DataSource } from 'typeorm';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('events over REST: POST /events, GET /events, timeline and context', () => {
  let t: TestApp;
  let s: TenantSession;
  let ds: DataSource;
  const ref = () => `c-${randomBytes(4).toString('hex')}`;
  const post = (body: unknown, token = s.accessToken, headers?: Record<string, string>) => t.request({ method: 'POST', url: '/api/v1/events', token, body, headers });
  const get = (url: string, token = s.accessToken) => t.request({ method: 'GET', url, token });
  const sql = (q: string) => (ds.options.type === 'postgres' ? q.replace(/\?/g, (() => { let i = 0; return () => `$${++i}`; })()) : q);
  const count = async (q: string, params: unknown[] = []) => Number((await ds.query(sql(q), params))[0].n);
  const customerByRef = async (externalId: string) => (await get(`/api/v1/customers?q=${externalId}`)).json().data.find((c: any) => c.externalId === externalId);

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    s = await registerTenant(t);
  });
  afterAll(() => t.close());

  describe('event types and their effects', () => {
    const r = ref();
    let customer: Record<string, any>;
    let results: Array<Record<string, any>>;
    beforeAll(async () => {
      const res = await post({
        events: [
          { id: `${r}-p`, type: 'purchase', customer_id: r, occurred_at: '2026-01-02T10:00:00Z', source: 'pos', data: { order_id: `${r}-o1`, amount: 100, currency: 'USD', items: [{ sku: 'A', name: 'Kettle', quantity: 2, unit_price: 50 }], channel: 'store' } },
          { id: `${r}-rf`, type: 'refund', customer_id: r, occurred_at: '2026-01-03T10:00:00Z', data: { order_id: `${r}-o1`, amount: 30 } },
          { id: `${r}-t1`, type: 'support_ticket', customer_id: r, occurred_at: '2026-01-04T10:00:00Z', data: { ticketId: `${r}-T`, subject: 'Kettle leaks', severity: 'high', status: 'open' } },
          { id: `${r}-t2`, type: 'support_ticket', customer_id: r, occurred_at: '2026-01-04T10:00:00Z', data: { ticketId: `${r}-T2`, subject: 'Lid', severity: 'low', status: 'open' } },
          { id: `${r}-w`, type: 'repair', customer_id: r, occurred_at: '2026-01-05T10:00:00Z', data: { workOrderId: `${r}-W`, status: 'scheduled', description: 'Replace seal', cost: 25.5, scheduledAt: '2026-01-08T09:00:00Z' } },
          { id: `${r}-c`, type: 'contact', customer_id: r, occurred_at: '2026-01-06T10:00:00Z', data: { channel: 'call', direction: 'outbound', summary: 'Arranged the repair' } },
          { id: `${r}-pu`, type: 'profile_update', customer_id: r, occurred_at: '2026-01-06T11:00:00Z', data: { fields: { first_name: 'Ada', phone: '+44 20 7946 0958' }, addTags: ['VIP', 'kettles'] } },
          { id: `${r}-n`, type: 'observation', customer_id: r, occurred_at: '2026-01-06T12:00:00Z', data: { text: 'Prefers morning visits' } },
          { id: `${r}-u`, type: 'usage', customer_id: r, occurred_at: '2026-01-07T10:00:00Z', data: { apiCalls: 1200, period: '2026-01' } },
          { id: `${r}-l`, type: 'login', customer_id: r, occurred_at: '2026-01-07T11:00:00Z' },
          { id: `${r}-x`, type: 'custom', customer_id: r, occurred_at: '2026-01-07T12:00:00Z', data: { name: 'warranty_registered', properties: { years: 2 } } },
        ],
      });
      expect(res.statusCode).toBe(202);
      results = res.json().results;
      // A later event closes one ticket and completes the work order (upserts, not new rows).
      const later = await post({
        events: [
          { id: `${r}-t1b`, type: 'support_ticket', customer_id: r, occurred_at: '2026-01-09T10:00:00Z', data: { ticketId: `${r}-T`, subject: 'Kettle leaks', severity: 'high', status: 'resolved' } },
          { id: `${r}-wb`, type: 'work_order', customer_id: r, occurred_at: '2026-01-09T11:00:00Z', data: { workOrderId: `${r}-W`, status: 'completed', completedAt: '2026-01-09T11:00:00Z' } },
        ],
      });
      expect(later.json().accepted).toBe(2);
      customer = await customerByRef(r);
    });

    it('accepts every type and creates the customer on first sight with the reference as externalId', () => {
      expect(results.map((x) => x.status)).toEqual(Array(11).fill('accepted'));
      expect(customer).toMatchObject({ externalId: r, source: 'pos' });
      expect(new Set(results.map((x) => x.customerId))).toEqual(new Set([customer.id]));
    });

    it('purchase and refund: one purchase in minor units, partly refunded; lastSeenAt moves to the latest sighting', async () => {
      const rows = await ds.query(sql('SELECT amount_minor, refunded_minor, status, channel FROM purchases WHERE order_id = ?'), [`${r}-o1`]);
      expect(rows).toHaveLength(1);
      expect([Number(rows[0].amount_minor), Number(rows[0].refunded_minor), rows[0].status, rows[0].channel]).toEqual([10000, 3000, 'partially_refunded', 'store']);
      expect(customer.lastSeenAt).toBe('2026-01-09T11:00:00.000Z');
    });

    it('contact sets lastContactedAt; profile_update applies fields and tags with the API rules (phone in E.164)', () => {
      expect(customer.lastContactedAt).toBe('2026-01-06T10:00:00.000Z');
      expect(customer).toMatchObject({ firstName: 'Ada', phone: '+442079460958' });
      expect(customer.tags.sort()).toEqual(['kettles', 'vip']);
    });

    it('usage and login become telemetry rows', async () => {
      const rows = await ds.query(sql('SELECT kind, quantity, period FROM telemetry WHERE customer_id = ? ORDER BY kind'), [customer.id]);
      expect(rows.map((x: any) => [x.kind, Number(x.quantity), x.period])).toEqual([['login', 1, null], ['usage', 1200, '2026-01']]);
    });

    it('context: profile, notes, recent events, open tickets only, work orders upserted, purchase summary', async () => {
      const res = await get(`/api/v1/customers/${customer.id}/context`);
      expect(res.statusCode).toBe(200);
      const c = res.json();
      expect(c.customer.id).toBe(customer.id);
      expect(c.addresses).toEqual([]);
      expect(c.preferences).toMatchObject({ version: 0, doNotContact: false });
      expect(c.notes.recent.map((n: any) => [n.type, n.body])).toEqual([['observation', 'Prefers morning visits']]);
      expect(c.openTickets.map((x: any) => x.ticketId)).toEqual([`${r}-T2`]);
      expect(c.workOrders).toEqual([expect.objectContaining({ workOrderId: `${r}-W`, status: 'completed', description: 'Replace seal', costMinor: 2550, currency: 'USD', completedAt: '2026-01-09T11:00:00.000Z' })]);
      expect(c.purchaseSummary).toMatchObject({ currency: 'USD', orderCount: 1, grossMinor: 10000, refundedMinor: 3000, netMinor: 7000 });
      expect(c.recentEvents[0]).toMatchObject({ key: `${r}-wb`, type: 'work_order' });
      expect(c.recentEvents).toHaveLength(10);
      // Sections the metrics and loyalty modules contribute.
      expect(c.metrics).toMatchObject({ customerId: customer.id });
      expect(c.loyalty).toHaveProperty('balance');
    });

    it('timeline: events, notes and profile changes newest first; cursor pages cover every item once', async () => {
      const seen: Array<Record<string, any>> = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/v1/customers/${customer.id}/timeline?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        seen.push(...res.json().data);
        cursor = res.json().page.nextCursor;
      } while (cursor);
      // 13 events, minus the note event (shown as the note itself), + the note + created + updated profile changes.
      expect(seen).toHaveLength(15);
      expect(new Set(seen.map((x) => x.id)).size).toBe(15);
      const times = seen.map((x) => Date.parse(x.at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(seen.filter((x) => x.kind === 'profile_change').map((x) => x.data.kind).sort()).toEqual(['created', 'updated']);
      expect(seen.find((x) => x.kind === 'note')).toMatchObject({ type: 'note', summary: 'Prefers morning visits', at: '2026-01-06T12:00:00.000Z' });
      expect(seen.find((x) => x.type === 'purchase')?.summary).toBe(`Purchase ${r}-o1: 100 USD`);
    });

    it('timeline type filter', async () => {
      const res = await get(`/api/v1/customers/${customer.id}/timeline?type=note,support_ticket`);
      expect(res.json().data.map((x: any) => x.type).sort()).toEqual(['note', 'support_ticket', 'support_ticket', 'support_ticket']);
      expect((await get(`/api/v1/customers/${customer.id}/timeline?type=teleport`)).statusCode).toBe(400);
    });
  });

  describe('duplicates and Idempotency-Key', () => {
    it('an event id sent again is a duplicate naming the stored event, and changes nothing', async () => {
      const r = ref();
      const e = { id: `${r}-1`, type: 'usage', customer_id: r, data: { apiCalls: 5 } };
      const first = (await post(e)).json().results[0];
      const again = (await post({ events: [e, { ...e, data: { apiCalls: 999 } }] })).json();
      expect(again.results).toEqual([
        { index: 0, status: 'duplicate', eventId: first.eventId },
        { index: 1, status: 'duplicate', eventId: first.eventId },
      ]);
      expect(await count('SELECT SUM(quantity) AS n FROM telemetry WHERE customer_id = ?', [first.customerId])).toBe(5);
    });

    it('a purchase repeating an orderId under a new event id is a duplicate: one purchase, one event', async () => {
      const r = ref();
      const res = (await post({ events: [1, 2].map((k) => ({ id: `${r}-${k}`, type: 'purchase', customer_id: r, data: { orderId: `${r}-o`, amount: 10 } })) })).json();
      expect(res.results.map((x: any) => x.status)).toEqual(['accepted', 'duplicate']);
      expect(await count('SELECT COUNT(*) AS n FROM purchases WHERE order_id = ?', [`${r}-o`])).toBe(1);
      expect(await count('SELECT COUNT(*) AS n FROM customer_events WHERE event_key IN (?, ?)', [`${r}-1`, `${r}-2`])).toBe(1);
    });

    it('same Idempotency-Key and body -> the same answer, nothing new; other body -> 422', async () => {
      const r = ref();
      const body = { events: [{ type: 'login', customer_id: r }, { type: 'login', customer_id: r }] };
      const key = `k-${r}`;
      const first = await post(body, s.accessToken, { 'idempotency-key': key });
      const second = await post(body, s.accessToken, { 'idempotency-key': key });
      expect(first.statusCode).toBe(202);
      expect(second.statusCode).toBe(202);
      expect(second.json()).toEqual(first.json());
      expect(await count('SELECT COUNT(*) AS n FROM customer_events WHERE customer_id = ?', [first.json().results[0].customerId])).toBe(2);
      const other = await post({ events: [{ type: 'login', customer_id: r }] }, s.accessToken, { 'idempotency-key': key });
      expect(other.statusCode).toBe(422);
      expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('bad input', () => {
    const rejectedOne = async (event: Record<string, unknown>) => {
      const res = await post(event);
      expect(res.statusCode).toBe(202);
      const [result] = res.json().results;
      expect(result.status).toBe('rejected');
      return result.error;
    };

    it('a batch of 1001 events -> 400, nothing written', async () => {
      const r = ref();
      const res = await post({ events: Array.from({ length: 1001 }, (_, i) => ({ id: `${r}-${i}`, type: 'login', customer_id: r })) });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'events', message: expect.stringMatching(/at most 1000/) }] });
      expect(await customerByRef(r)).toBeUndefined();
    });

    it("an event for another tenant's customer id -> that event rejected, nothing written; the rest of the batch stands", async () => {
      const other = await registerTenant(t);
      const theirs = await createCustomer(t, other.accessToken);
      const r = ref();
      const res = (await post({ events: [{ id: `${r}-x`, type: 'login', customer_id: theirs.id }, { id: `${r}-ok`, type: 'login', customer_id: r }] })).json();
      expect(res.results[0]).toMatchObject({ status: 'rejected', error: { code: 'CUSTOMER_NOT_FOUND' } });
      expect(res.results[1].status).toBe('accepted');
      expect(await count('SELECT COUNT(*) AS n FROM customer_events WHERE customer_id = ? OR event_key = ?', [theirs.id, `${r}-x`])).toBe(0);
      expect(await count('SELECT COUNT(*) AS n FROM customers WHERE external_id = ?', [theirs.id])).toBe(0);
    });

    it('occurred_at more than a day in the future -> rejected', async () => {
      const error = await rejectedOne({ type: 'login', customer_id: ref(), occurred_at: new Date(Date.now() + 2 * 86400_000).toISOString() });
      expect(error.details).toEqual([{ field: 'occurred_at', message: 'is more than one day in the future' }]);
    });

    it('amount not a number -> rejected, no purchase', async () => {
      const r = ref();
      const error = await rejectedOne({ type: 'purchase', customer_id: r, data: { orderId: `${r}-o`, amount: '49.99' } });
      expect(error.details).toEqual([{ field: 'data.amount', message: 'must be a number' }]);
      expect(await count('SELECT COUNT(*) AS n FROM purchases WHERE order_id = ?', [`${r}-o`])).toBe(0);
    });

    it('unknown type, missing fields, unknown fields and a missing customer reference are rejected with the field', async () => {
      expect((await rejectedOne({ type: 'teleport', customer_id: ref() })).details[0].field).toBe('type');
      expect((await rejectedOne({ type: 'support_ticket', customer_id: ref(), data: { ticketId: 'T', subject: 'x', severity: 'urgent', status: 'open' } })).details).toEqual([
        { field: 'data.severity', message: 'must be one of low, medium, high, critical' },
      ]);
      expect((await rejectedOne({ type: 'usage', customer_id: ref(), data: { apiCalls: 1, colour: 'red' } })).details).toEqual([{ field: 'data.colour', message: 'is not an allowed field' }]);
      expect((await rejectedOne({ type: 'login', data: {} })).details[0].field).toBe('customer_id');
    });

    it('profile_update uses the REST validation (invalid email, unknown field) and writes nothing', async () => {
      const c = await createCustomer(t, s.accessToken, { externalId: ref() });
      const error = await rejectedOne({ type: 'profile_update', customer_id: c.externalId, data: { fields: { email: 'not-an-email', shoeSize: 44 } } });
      expect(error.details).toEqual(expect.arrayContaining([
        { field: 'data.fields.email', message: 'email must be an email' },
        { field: 'data.fields.shoeSize', message: 'is not an allowed field' },
      ]));
      expect((await get(`/api/v1/customers/${c.id}`)).json().version).toBe(c.version);
    });

    it('profile_update taking an email another customer has -> rejected, event not stored', async () => {
      const a = await createCustomer(t, s.accessToken);
      const b = await createCustomer(t, s.accessToken, { externalId: ref() });
      const error = await rejectedOne({ id: `${b.externalId}-pu`, type: 'profile_update', customer_id: b.externalId, data: { fields: { email: a.email } } });
      expect(error.code).toBe('CUSTOMER_EXISTS');
      expect(await count('SELECT COUNT(*) AS n FROM customer_events WHERE event_key = ?', [`${b.externalId}-pu`])).toBe(0);
    });

    it('an event for a deleted customer is rejected', async () => {
      const c = await createCustomer(t, s.accessToken, { externalId: ref() });
      await t.request({ method: 'DELETE', url: `/api/v1/customers/${c.id}`, token: s.accessToken });
      expect((await rejectedOne({ type: 'login', customer_id: c.externalId })).code).toBe('CUSTOMER_NOT_FOUND');
    });

    it('a viewer may read events but not send them; no token -> 401', async () => {
      const viewer = await tokenForRole(t, s, 'viewer');
      expect((await post({ type: 'login', customer_id: ref() }, viewer)).statusCode).toBe(403);
      expect((await get('/api/v1/events', viewer)).statusCode).toBe(200);
      expect((await t.request({ method: 'POST', url: '/api/v1/events', body: { type: 'login', customer_id: ref() } })).statusCode).toBe(401);
    });
  });

  it('concurrent first events for one new customer (by reference and by email) create exactly one customer each', async () => {
    const r = ref();
    const email = `${r}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, k) => post({ events: [{ id: `${r}-ref-${k}`, type: 'login', customer_id: r }, { id: `${r}-mail-${k}`, type: 'login', email }] })),
    );
    expect(responses.flatMap((x) => x.json().results.map((y: any) => y.status))).toEqual(Array(24).fill('accepted'));
    expect(await count('SELECT COUNT(*) AS n FROM customers WHERE external_id = ?', [r])).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM customers WHERE email = ?', [email])).toBe(1);
  });

  describe('GET /events', () => {
    it('filters by customer, type and time, and pages with a cursor without gaps or repeats', async () => {
      const r = ref();
      const base = Date.parse('2025-06-01T00:00:00Z');
      await post({ events: Array.from({ length: 9 }, (_, i) => ({ id: `${r}-${i}`, type: i % 3 ? 'login' : 'usage', customer_id: r, occurred_at: new Date(base + i * 60_000).toISOString(), data: i % 3 ? {} : { apiCalls: i } })) });
      const c = await customerByRef(r);
      const keys: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/v1/events?customerId=${c.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        keys.push(...res.json().data.map((e: any) => e.key));
        cursor = res.json().page.nextCursor;
      } while (cursor);
      expect(keys).toEqual(Array.from({ length: 9 }, (_, i) => `${r}-${8 - i}`));
      const usage = (await get(`/api/v1/events?customerId=${c.id}&type=usage`)).json().data.map((e: any) => e.key);
      expect(usage).toEqual([`${r}-6`, `${r}-3`, `${r}-0`]);
      const window = (await get(`/api/v1/events?customerId=${c.id}&from=${new Date(base + 120_000).toISOString()}&to=${new Date(base + 240_000).toISOString()}`)).json().data;
      expect(window.map((e: any) => e.key)).toEqual([`${r}-4`, `${r}-3`, `${r}-2`]);
    });

    it("GET /events/:id; another tenant's event -> 404", async () => {
      const { eventId } = (await post({ type: 'login', customer_id: ref() })).json().results[0];
      expect((await get(`/api/v1/events/${eventId}`)).json()).toMatchObject({ id: eventId, type: 'login', transport: 'rest' });
      const other = await registerTenant(t);
      const res = await get(`/api/v1/events/${eventId}`, other.accessToken);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('EVENT_NOT_FOUND');
    });
  });
});
