// Must stay the first import (see the file).
import { QUEUE_PREFIX as PREFIX, REDIS_URL } from '../support/redis-env';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { JobQueue } from '../../src/infra/queue';
import { HEALTH_QUEUE, HealthScoreService } from '../../src/modules/health-score';
import { SEGMENTS_QUEUE } from '../../src/modules/segments';
import { ingest, logins, usage } from '../factories/activity.factory';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('health-score and segment jobs on BullMQ (two app instances, one database)', () => {
  let a: TestApp;
  let b: TestApp;
  let s: TenantSession;
  const queues: Queue[] = [];
  const queue = (name: string) => {
    const q = new Queue(name, { connection: { url: REDIS_URL }, prefix: PREFIX });
    queues.push(q);
    return q;
  };

  beforeAll(async () => {
    const env = { REDIS_URL, QUEUE_PREFIX: PREFIX, SIMULATION_ENABLED: 'true' };
    a = await createTestApp(env);
    b = await createTestApp({ ...env, DATABASE_URL: a.db.url });
    s = await registerTenant(a);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(queues.map((q) => q.close()));
    await b?.close();
    await a?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    delete process.env.REDIS_URL;
    delete process.env.QUEUE_PREFIX;
  });

  it('registers each repeatable job once although both instances scheduled it', async () => {
    const health = await queue(HEALTH_QUEUE).getJobSchedulers();
    expect(health).toEqual([expect.objectContaining({ key: 'hourly-recompute', name: 'recompute-all', pattern: '0 * * * *', tz: 'UTC' })]);
    expect(await queue(SEGMENTS_QUEUE).getJobSchedulers()).toHaveLength(1);
  });

  it('merges recompute requests for one customer while the first is still waiting', async () => {
    const id = (await createCustomer(a, s.accessToken)).id as string;
    await a.app.get(JobQueue).drain();
    const q = queue(HEALTH_QUEUE);
    await q.pause();
    try {
      const first = await a.app.get(HealthScoreService).requestRecompute(s.tenantId, id);
      const second = await b.app.get(HealthScoreService).requestRecompute(s.tenantId, id);
      expect(second.id).toBe(first.id);
    } finally {
      await q.resume();
    }
    await a.app.get(JobQueue).drain();
  });

  it('recomputes a customer through a BullMQ worker after usage and login events', async () => {
    const id = (await createCustomer(a, s.accessToken)).id as string;
    await ingest(a, s.tenantId, [usage(id, 5000), ...logins(id, 30)]);
    await a.app.get(JobQueue).drain();
    const res = await b.request({ method: 'GET', url: `/api/v1/customers/${id}/health`, token: s.accessToken });
    expect(res.json()).toMatchObject({ score: 100, band: 'healthy', components: { usage: { apiCalls: 5000 }, engagement: { logins: 30 } } });
  });

  it('runs the admin recompute as a BullMQ job with progress', async () => {
    const res = await a.request({ method: 'POST', url: '/api/v1/health-score/recompute', token: s.accessToken });
    expect(res.statusCode).toBe(202);
    await a.app.get(JobQueue).drain();
    const job = (await b.request({ method: 'GET', url: `/api/v1/jobs/${res.json().jobId}`, token: s.accessToken })).json();
    expect(job).toMatchObject({ state: 'completed', progress: { processed: 2, total: 2, percent: 100 }, result: { customers: 2 } });
  });

  it('serves analytics from the Redis cache for 60 seconds', async () => {
    const get = () => a.request({ method: 'GET', url: '/api/v1/analytics/overview', token: s.accessToken });
    const first = await get();
    expect(first.headers['x-cache']).toBe('miss');
    await createCustomer(a, s.accessToken);
    const second = await get();
    expect(second.headers['x-cache']).toBe('hit');
    expect(second.json()).toEqual(first.json());
    const trends = await a.request({ method: 'GET', url: '/api/v1/analytics/health-trends?days=7', token: s.accessToken });
    expect(trends.headers['x-cache']).toBe('miss');
  });
});
