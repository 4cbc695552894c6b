import { randomUUID } from 'crypto';
import { EventStreamService } from '../../src/modules/events';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { eventually } from '../support/eventually';
import { openSse } from '../support/sse-client';
import { createTestApp, TestApp } from '../support/test-app';

describe('live events: GET /events/stream (server-sent events)', () => {
  let t: TestApp;
  let base: string;
  let s: TenantSession;
  let other: TenantSession;
  let a: string;
  let b: string;
  const post = (token: string, customer: string, type = 'login', data: object = {}) =>
    t.request({ method: 'POST', url: '/api/v1/events', token, body: { id: randomUUID(), type, customer_id: customer, data } }).then((r) => r.json().results[0]);
  const streams = () => t.app.get(EventStreamService).openStreams;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `${await t.app.getUrl()}/api/v1/events/stream`.replace('[::1]', '127.0.0.1');
    s = await registerTenant(t);
    other = await registerTenant(t);
    a = (await createCustomer(t, s.accessToken)).id;
    b = (await createCustomer(t, s.accessToken)).id;
  });
  afterAll(() => t.close());

  it('sends each accepted event of the tenant once committed, with its id, type and customer', async () => {
    const sse = await openSse(base, s.accessToken);
    try {
      expect(sse.status).toBe(200);
      await eventually(() => streams() >= 1, 5000, 'stream registered');
      const accepted = await post(s.accessToken, a, 'usage', { apiCalls: 12 });
      const m = await sse.next();
      expect(m).toMatchObject({ event: 'event.ingested', id: accepted.eventId, data: { customerId: a, eventId: accepted.eventId, type: 'usage' } });
      expect(m.data.tenantId).toBeUndefined();
      expect(new Date(m.data.occurredAt).toString()).not.toBe('Invalid Date');
    } finally {
      sse.close();
    }
  });

  it('keeps tenants apart and filters by customer', async () => {
    const mine = await openSse(base, s.accessToken);
    const onlyB = await openSse(`${base}?customerId=${b}`, s.accessToken);
    try {
      await eventually(() => streams() >= 2, 5000, 'streams registered');
      // Events sent first that a stream must not see; the next message it gets must be the later one.
      const theirs = (await createCustomer(t, other.accessToken)).id;
      await post(other.accessToken, theirs);
      await post(s.accessToken, a);
      const forB = await post(s.accessToken, b);
      expect((await mine.next()).data.customerId).toBe(a);
      expect((await mine.next()).data.eventId).toBe(forB.eventId);
      expect((await onlyB.next()).data.eventId).toBe(forB.eventId);
    } finally {
      mine.close();
      onlyB.close();
    }
  });

  it('releases the listener when the client goes away', async () => {
    const sse = await openSse(base, s.accessToken);
    await eventually(() => streams() >= 1, 5000, 'stream registered');
    sse.close();
    await eventually(() => streams() === 0, 5000, 'listener released');
  });

  it('answers 401 without a token, 400 for a bad customerId and 404 for an unknown one, in the error envelope', async () => {
    const anon = await openSse(base);
    expect(anon.status).toBe(401);
    const bad = await openSse(`${base}?customerId=nope`, s.accessToken);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.details[0].field).toBe('customerId');
    const unknown = await openSse(`${base}?customerId=${a}`, other.accessToken);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('lets the app shut down while a stream is open', async () => {
    const sse = await openSse(base, s.accessToken);
    await eventually(() => streams() >= 1, 5000, 'stream registered');
    // What app.close() runs: without it the open response would keep the HTTP server from closing.
    t.app.get(EventStreamService).onApplicationShutdown();
    await expect(sse.next()).rejects.toThrow('the stream ended');
    expect(streams()).toBe(0);
  });
});
