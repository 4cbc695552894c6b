import { randomBytes } from 'crypto';
import { verifySignature } from '../../src/modules/webhooks/webhook-signature';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { eventually } from '../support/eventually';
import { HttpReceiver } from '../support/http-receiver';
import { dropRedisPrefix } from '../support/redis-cleanup';
import { createTestApp, TestApp } from '../support/test-app';
import { DomainEventBus } from '../../src/infra/domain-events';

/**
 * The production path: deliveries as BullMQ jobs on Redis (own QUEUE_PREFIX so parallel runs do not share queues).
 * Nothing here imports the webhooks module before createTestApp: QueueModule.registerQueue reads REDIS_URL when
 * the module file loads, so it must see this file's configuration.
 */
describe('Webhook delivery through BullMQ (real Redis)', () => {
  let t: TestApp;
  let s: TenantSession;
  let r: HttpReceiver;
  const prefix = `ciqwh${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestApp({
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: prefix,
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_RETRY_BASE_MS: '20',
      WEBHOOK_CONCURRENCY: '4',
    });
    s = await registerTenant(t);
    r = await new HttpReceiver().start();
    r.slowMs = 3000;
  });
  afterAll(async () => {
    await r.close();
    await t.close();
    await dropRedisPrefix('redis://127.0.0.1:6379', prefix);
  });

  const deliveries = async (id: string) => (await t.request({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries?limit=100`, token: s.accessToken })).json().data;

  it('runs the worker with the configured concurrency', async () => {
    const { WebhooksProcessor } = await import('../../src/modules/webhooks/webhooks.processor');
    expect(t.app.get(WebhooksProcessor).worker.concurrency).toBe(4);
  });

  it('retries through delayed BullMQ jobs until the receiver accepts, same event id every time', async () => {
    r.behave('close', 500, 'slow');
    const hook = (await t.request({ method: 'POST', url: '/api/v1/webhooks', token: s.accessToken, body: { url: r.url(), events: ['purchase.recorded'] } })).json();
    await t.app.get(DomainEventBus).publishAsync([{ name: 'purchase.recorded', payload: { tenantId: s.tenantId, customerId: '00000000-0000-4000-8000-000000000001', orderId: 'b-1' } }]);
    const [d] = await eventually(async () => {
      const list = await deliveries(hook.id);
      return list[0]?.status === 'succeeded' ? list : null;
    }, 20_000, 'delivery succeeded');
    expect(d.attempts).toBe(4);
    expect(r.requests).toHaveLength(4);
    expect(new Set(r.requests.map((q) => q.headers['x-customeriq-event-id'])).size).toBe(1);
    expect(verifySignature(hook.secret, String(r.requests[3].headers['x-customeriq-signature']), r.requests[3].body)).toBe(true);
  });

  it('delivers a burst of events, each at least once and repeated only after a failed attempt', async () => {
    r.requests.length = 0;
    const hook = (await t.request({ method: 'POST', url: '/api/v1/webhooks', token: s.accessToken, body: { url: r.url('/burst'), events: ['event.ingested'] } })).json();
    await t.app.get(DomainEventBus).publishAsync(Array.from({ length: 50 }, (_, i) => ({ name: 'event.ingested', payload: { tenantId: s.tenantId, n: i } })));
    const done = await eventually(async () => {
      const list = await deliveries(hook.id);
      return list.filter((d: { status: string }) => d.status === 'succeeded').length === 50 ? list : null;
    }, 20_000, '50 delivered');
    const burst = r.requests.filter((q) => q.path === '/burst');
    expect(new Set(burst.map((q) => q.json.data.n)).size).toBe(50);
    // Every request the receiver saw is an attempt on record: a repeat only follows a failed (e.g. timed-out) attempt.
    expect(burst).toHaveLength(done.reduce((sum: number, d: { attempts: number }) => sum + d.attempts, 0));
    expect(new Set(burst.map((q) => q.headers['x-customeriq-event-id'])).size).toBe(50);
  });
});
