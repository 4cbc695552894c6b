import { JobQueue } from '../../src/infra/queue';
import { verifySignature } from '../../src/modules/webhooks';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { eventually } from '../support/eventually';
import { HttpReceiver } from '../support/http-receiver';
import { createTestApp, TestApp } from '../support/test-app';
import { DomainEventBus } from '../../src/infra/domain-events';

describe('Webhooks API and delivery (local receivers)', () => {
  let t: TestApp;
  let s: TenantSession;
  let jobs: JobQueue;
  const receivers: HttpReceiver[] = [];

  const receiver = async (): Promise<HttpReceiver> => {
    const r = await new HttpReceiver().start();
    r.slowMs = 800;
    receivers.push(r);
    return r;
  };
  const createHook = async (url: string, events: string[] = ['*'], extra: Record<string, unknown> = {}) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: s.accessToken, body: { url, events, ...extra } });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: string; secret: string };
  };
  const deliveries = async (hookId: string) => (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hookId}/deliveries`, token: s.accessToken })).json().data;
  const emit = (type: string, payload: Record<string, unknown>) => t.app.get(DomainEventBus).publishAsync([{ name: type, payload: { tenantId: s.tenantId, ...payload } }]);

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '300', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_MAX_ATTEMPTS: '5', WEBHOOK_DISABLE_AFTER_FAILURES: '2' });
    s = await registerTenant(t);
    jobs = t.app.get(JobQueue);
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    await t.close();
  });

  it('shows the signing secret once at creation and never again', async () => {
    const r = await receiver();
    const hook = await createHook(r.url(), ['customer.created']);
    expect(hook.secret).toMatch(/^whsec_/);
    const got = await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: s.accessToken });
    expect(got.statusCode).toBe(200);
    expect(got.body).not.toContain(hook.secret);
    expect(got.json()).not.toHaveProperty('secret');
    const list = await t.request({ method: 'GET', url: '/api/v1/webhooks', token: s.accessToken });
    expect(list.body).not.toContain('whsec_');
  });

  it('delivers a customer.created event as a signed POST with the event id header', async () => {
    const r = await receiver();
    const hook = await createHook(r.url(), ['customer.created']);
    const c = await createCustomer(t, s.accessToken);
    const req = await eventually(() => r.requests.find((q) => q.json?.data?.customerId === c.id), 10_000, 'delivery');
    expect(req.json).toMatchObject({ type: 'customer.created', tenantId: s.tenantId, data: { customer: { id: c.id, email: c.email } } });
    expect(req.json.id).toBe(req.headers['x-customeriq-event-id']);
    expect(typeof req.json.createdAt).toBe('string');
    expect(verifySignature(hook.secret, String(req.headers['x-customeriq-signature']), req.body)).toBe(true);
    expect(req.json.data.customer).not.toHaveProperty('searchText');
    await jobs.drain();
    const [d] = await deliveries(hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 1, responseStatus: 200, eventType: 'customer.created', eventId: req.json.id });
    expect(typeof d.responseTimeMs).toBe('number');
  });

  it('retries a slow answer, a 500 and a dropped connection until it succeeds, always with the same event id and body', async () => {
    const r = await receiver();
    r.behave('slow', 500, 'close');
    const hook = await createHook(r.url(), ['purchase.recorded']);
    await emit('purchase.recorded', { customerId: '00000000-0000-4000-8000-000000000001', orderId: 'o-1', amountMinor: 100, currency: 'USD' });
    await jobs.drain();
    expect(r.requests).toHaveLength(4);
    expect(new Set(r.requests.map((q) => q.headers['x-customeriq-event-id'])).size).toBe(1);
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
    expect(r.requests.map((q) => q.headers['x-customeriq-delivery-attempt'])).toEqual(['1', '2', '3', '4']);
    const [d] = await deliveries(hook.id);
    expect(d).toMatchObject({ status: 'succeeded', attempts: 4, responseStatus: 200, lastError: null });
  });

  it('records the last error and schedules the retry no sooner than the receiver\'s Retry-After', async () => {
    const r = await receiver();
    const hook = await createHook(r.url(), ['note.created']);
    r.behave({ status: 503, headers: { 'retry-after': '1' }, body: { error: 'busy' } });
    await emit('note.created', { customerId: '00000000-0000-4000-8000-000000000002', noteId: 'n1' });
    const d = await eventually(async () => (await deliveries(hook.id)).find((x: { status: string }) => x.status === 'retrying'), 10_000, 'retrying');
    expect(d).toMatchObject({ attempts: 1, responseStatus: 503 });
    expect(d.lastError).toContain('HTTP 503');
    expect(Date.parse(d.nextAttemptAt) - Date.parse(d.lastAttemptAt)).toBeGreaterThanOrEqual(900);
    await jobs.drain();
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'succeeded', attempts: 2, lastError: null });
  });

  it('disables the endpoint when the receiver answers 410 Gone and says so in the API', async () => {
    const r = await receiver();
    r.behave(410);
    const hook = await createHook(r.url(), ['customer.deleted']);
    await emit('customer.deleted', { customerId: '00000000-0000-4000-8000-000000000003' });
    await jobs.drain();
    const got = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: s.accessToken })).json();
    expect(got).toMatchObject({ active: false, disabledReason: 'gone' });
    await emit('customer.deleted', { customerId: '00000000-0000-4000-8000-000000000004' });
    await jobs.drain();
    expect(r.requests).toHaveLength(1);
    expect((await deliveries(hook.id))[0]).toMatchObject({ status: 'failed', responseStatus: 410 });
  });

  it('disables an endpoint after too many deliveries in a row used up every attempt', async () => {
    const r = await receiver();
    r.behave(...Array(10).fill(500));
    const hook = await createHook(r.url(), ['loyalty.points_earned']);
    await emit('loyalty.points_earned', { customerId: '00000000-0000-4000-8000-000000000005', points: 10 });
    await jobs.drain();
    let got = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: s.accessToken })).json();
    expect(got).toMatchObject({ active: true, consecutiveFailures: 1 });
    expect(got.failingSince).toEqual(expect.any(String));
    await emit('loyalty.points_earned', { customerId: '00000000-0000-4000-8000-000000000005', points: 11 });
    await jobs.drain();
    got = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: s.accessToken })).json();
    expect(got).toMatchObject({ active: false, disabledReason: 'too_many_failures', consecutiveFailures: 2 });
    expect(r.requests).toHaveLength(10);
    const ds = await deliveries(hook.id);
    expect(ds.every((d: { status: string; attempts: number }) => d.status === 'failed' && d.attempts === 5)).toBe(true);
  });

  it('redelivers a failed delivery with the same event id once the endpoint is back on', async () => {
    const r = await receiver();
    r.behave(410);
    const hook = await createHook(r.url(), ['purchase.refunded']);
    await emit('purchase.refunded', { customerId: '00000000-0000-4000-8000-000000000006', orderId: 'o-9' });
    await jobs.drain();
    const [failed] = await deliveries(hook.id);
    const refused = await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`, token: s.accessToken });
    expect(refused.statusCode).toBe(409);
    await t.request({ method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, token: s.accessToken, body: { active: true } });
    const res = await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`, token: s.accessToken });
    expect(res.statusCode).toBe(202);
    await jobs.drain();
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1].headers['x-customeriq-event-id']).toBe(failed.eventId);
    const detail = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries/${failed.id}`, token: s.accessToken })).json();
    expect(detail).toMatchObject({ status: 'succeeded', attempts: 2, body: { id: failed.eventId, type: 'purchase.refunded' } });
  });

  it('signs with both secrets during a rotation overlap, then only with the new one', async () => {
    const r = await receiver();
    const hook = await createHook(r.url(), ['segment.entered']);
    const rotated = (await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/rotate-secret`, token: s.accessToken, body: { overlapMinutes: 60 } })).json();
    expect(rotated.secret).not.toBe(hook.secret);
    expect(rotated.previousSecretExpiresAt).toEqual(expect.any(String));
    await emit('segment.entered', { customerId: '00000000-0000-4000-8000-000000000007', segmentId: 's1' });
    await jobs.drain();
    const header = String(r.requests[0].headers['x-customeriq-signature']);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(hook.secret, header, r.requests[0].body)).toBe(true);
    expect(verifySignature(rotated.secret, header, r.requests[0].body)).toBe(true);
    const again = (await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/rotate-secret`, token: s.accessToken, body: { overlapMinutes: 0 } })).json();
    await emit('segment.entered', { customerId: '00000000-0000-4000-8000-000000000007', segmentId: 's2' });
    await jobs.drain();
    const h2 = String(r.requests[1].headers['x-customeriq-signature']);
    expect(h2.match(/v1=/g)).toHaveLength(1);
    expect(verifySignature(again.secret, h2, r.requests[1].body)).toBe(true);
    expect(verifySignature(rotated.secret, h2, r.requests[1].body)).toBe(false);
  });

  it('sends a test event at once and reports the answer', async () => {
    const r = await receiver();
    r.behave({ status: 204 });
    const hook = await createHook(r.url(), ['customer.created']);
    const res = await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test`, token: s.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ eventType: 'webhook.test', status: 'succeeded', responseStatus: 204, attempts: 1 });
    expect(r.requests[0].json).toMatchObject({ type: 'webhook.test', data: { webhookId: hook.id } });
  });

  it('delivers only subscribed types', async () => {
    const r = await receiver();
    const hook = await createHook(r.url(), ['health.band_changed']);
    await emit('loyalty.tier_changed', { customerId: '00000000-0000-4000-8000-000000000008', tier: 'gold' });
    await emit('health.band_changed', { customerId: '00000000-0000-4000-8000-000000000008', band: 'at_risk' });
    await jobs.drain();
    expect(r.requests.map((q) => q.json.type)).toEqual(['health.band_changed']);
    expect(r.requests[0].json.data).toEqual({ customerId: '00000000-0000-4000-8000-000000000008', band: 'at_risk' });
    expect((await deliveries(hook.id)).length).toBe(1);
  });

  it('needs admin to manage endpoints, lets a viewer read them, and hides other tenants\' endpoints', async () => {
    const r = await receiver();
    const hook = await createHook(r.url(), ['customer.created']);
    const viewer = await tokenForRole(t, s, 'viewer');
    const agent = await tokenForRole(t, s, 'agent');
    expect((await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: viewer })).statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: '/api/v1/webhooks', token: agent, body: { url: r.url(), events: ['*'] } })).statusCode).toBe(403);
    const other = await registerTenant(t);
    const res = await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: other.accessToken });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await t.request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, token: other.accessToken })).statusCode).toBe(404);
  });
});
