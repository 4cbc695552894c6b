import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../src/infra/queue';
import { WebhookDeliveryService, WebhookPublisher } from '../../src/modules/webhooks';
import { WebhookDelivery } from '../../src/modules/webhooks/entities/webhook-delivery.entity';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { eventually } from '../support/eventually';
import { HttpReceiver } from '../support/http-receiver';
import { createTestApp, TestApp } from '../support/test-app';
import { DomainEventBus } from '../../src/infra/domain-events';

describe('Webhook events: filters, idempotent publishing and the sweeper (real database)', () => {
  let t: TestApp;
  let s: TenantSession;
  let jobs: JobQueue;
  let r: HttpReceiver;

  const createHook = async (events: string[], extra: Record<string, unknown> = {}) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: s.accessToken, body: { url: r.url(), events, ...extra } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json() as { id: string; secret: string };
  };
  /** A real segment of the segments module (tags contain `tag`), with its membership computed. */
  const tagSegment = async (tag: string) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/segments', token: s.accessToken, body: { name: `tag ${tag} ${randomUUID()}`, rule: { all: [{ field: 'tags', op: 'contains', value: tag }] } } });
    if (res.statusCode !== 201) throw new Error(res.body);
    await jobs.drain();
    return res.json().id as string;
  };
  const emit = (type: string, payload: Record<string, unknown>) => t.app.get(DomainEventBus).publishAsync([{ name: type, payload: { tenantId: s.tenantId, ...payload } }]);

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '500', WEBHOOK_RETRY_BASE_MS: '20' });
    s = await registerTenant(t);
    jobs = t.app.get(JobQueue);
    r = await new HttpReceiver().start();
  });
  afterEach(async () => {
    await jobs.drain();
    for (const w of (await t.request({ method: 'GET', url: '/api/v1/webhooks?limit=100', token: s.accessToken })).json().data) {
      await t.request({ method: 'DELETE', url: `/api/v1/webhooks/${w.id}`, token: s.accessToken });
    }
    r.requests.length = 0;
  });
  afterAll(async () => {
    await r.close();
    await t.close();
  });

  it('delivers only events about customers in the filter segment', async () => {
    const vip = await createCustomer(t, s.accessToken, { tags: ['vip'] });
    const plain = await createCustomer(t, s.accessToken);
    const segmentId = await tagSegment('vip');
    await createHook(['purchase.recorded'], { filter: { segmentId } });
    await emit('purchase.recorded', { customerId: plain.id, orderId: 'p-1' });
    await emit('purchase.recorded', { customerId: vip.id, orderId: 'p-2' });
    await emit('purchase.recorded', { orderId: 'p-3' });
    await jobs.drain();
    expect(r.requests.map((q) => q.json.data.orderId)).toEqual(['p-2']);
  });

  it('delivers segment.exited for the filter segment even though the customer has left it', async () => {
    const c = await createCustomer(t, s.accessToken, { tags: ['leaving'] });
    const segmentId = await tagSegment('leaving');
    const other = await tagSegment('other');
    await createHook(['segment.exited'], { filter: { segmentId } });
    // The segments module emits segment.exited when the customer no longer matches.
    await t.request({ method: 'PATCH', url: `/api/v1/customers/${c.id}`, token: s.accessToken, body: { tags: [] } });
    // Emitted from a job with emit() (not awaited): the delivery arrives shortly after the job.
    await eventually(async () => (await jobs.drain(), r.requests.length === 1), 10_000, 'segment.exited delivered');
    await emit('segment.exited', { customerId: c.id, segmentId: other });
    await jobs.drain();
    expect(r.requests.map((q) => [q.json.data.segmentId, q.json.data.customerId])).toEqual([[segmentId, c.id]]);
  });

  it('delivers only events about customers in the filter tier', async () => {
    const gold = await createCustomer(t, s.accessToken);
    const silver = await createCustomer(t, s.accessToken);
    await createHook(['loyalty.tier_changed', 'loyalty.points_earned'], { filter: { tier: 'gold' } });
    // Default program: silver from 1000 points, gold from 5000; the loyalty module emits the events.
    const earn = (id: string, points: number) => t.request({ method: 'POST', url: `/api/v1/customers/${id}/loyalty/earn`, token: s.accessToken, body: { points, reason: 'test' } });
    expect((await earn(silver.id, 1500)).json().tier).toBe('silver');
    expect((await earn(gold.id, 6000)).json().tier).toBe('gold');
    await eventually(async () => (await jobs.drain(), r.requests.length >= 2), 10_000, 'loyalty events delivered');
    await new Promise((res) => setTimeout(res, 200));
    await jobs.drain();
    const got = r.requests.map((q) => [q.json.type, q.json.data.customerId]).sort();
    expect(got).toEqual([['loyalty.points_earned', gold.id], ['loyalty.tier_changed', gold.id]]);
    const earned = r.requests.find((q) => q.json.type === 'loyalty.points_earned')!;
    expect(earned.json.data).toMatchObject({ points: 6000, balanceAfter: 6000, reason: 'test' });
  });

  it('refuses a filter naming a segment or tier that does not exist', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: s.accessToken, body: { url: r.url(), events: ['*'], filter: { segmentId: 'nope', tier: 'platinum' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('filter.segmentId');
  });

  it('delivers an event published twice with the same dedupe key once, with one event id', async () => {
    const hook = await createHook(['campaign.send']);
    await emit('campaign.send', { customerId: '00000000-0000-4000-8000-00000000000a', campaignId: 'c1', dedupeKey: 'c1:a' });
    await emit('campaign.send', { customerId: '00000000-0000-4000-8000-00000000000a', campaignId: 'c1', dedupeKey: 'c1:a' });
    await jobs.drain();
    expect(r.requests).toHaveLength(1);
    expect(r.requests[0].json.data).not.toHaveProperty('dedupeKey');
    const list = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries`, token: s.accessToken })).json();
    expect(list.data).toHaveLength(1);
  });

  it('fans one event out to every matching endpoint with the same event id', async () => {
    await createHook(['*']);
    await createHook(['event.ingested']);
    await createHook(['customer.created']);
    await emit('event.ingested', { customerId: '00000000-0000-4000-8000-00000000000b', eventType: 'page_view' });
    await jobs.drain();
    expect(r.requests).toHaveLength(2);
    expect(r.requests[0].json.id).toBe(r.requests[1].json.id);
  });

  it('sends again a delivery whose job was lost or whose worker died mid-attempt (at least once, same event id)', async () => {
    const hook = await createHook(['note.created']);
    const publisher = t.app.get(WebhookPublisher);
    const ds = t.app.get(DataSource);
    await publisher.publish({ type: 'note.created', tenantId: s.tenantId, data: { noteId: 'lost' } });
    await jobs.drain();
    expect(r.requests).toHaveLength(1);
    // Simulate a worker that claimed the delivery and crashed before recording the answer.
    const past = new Date(Date.now() - 10 * 60_000);
    await ds
      .createQueryBuilder()
      .update(WebhookDelivery)
      .set({ status: 'pending', attempts: 1, lockedUntil: past, claimToken: randomUUID(), nextAttemptAt: past })
      .where('endpoint_id = :id', { id: hook.id })
      .execute();
    const sweep = await t.app.get(WebhookDeliveryService).sweep();
    expect(sweep.requeued).toBe(1);
    await jobs.drain();
    expect(r.requests).toHaveLength(2);
    expect(r.requests[1].headers['x-customeriq-event-id']).toBe(r.requests[0].headers['x-customeriq-event-id']);
    const [d] = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries`, token: s.accessToken })).json().data;
    expect(d).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect((await t.app.get(WebhookDeliveryService).sweep()).requeued).toBe(0);
  });

  it('pages deliveries newest first without repeating or skipping any, even within one second', async () => {
    const hook = await createHook(['event.ingested']);
    for (let i = 0; i < 25; i++) await emit('event.ingested', { n: i });
    await jobs.drain();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page: { data: Array<{ id: string }>; page: { nextCursor: string | null } } = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries?limit=10${q}`, token: s.accessToken })).json();
      seen.push(...page.data.map((d) => d.id));
      cursor = page.page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });
});
