import { JobQueue } from '../../src/infra/queue';
import { DEFAULT_HEALTH_MODEL } from '../../src/modules/health-score';
import { ingest, logins, usage } from '../factories/activity.factory';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('health score API', () => {
  let t: TestApp;
  let s: TenantSession;
  let viewer: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    viewer = await tokenForRole(t, s, 'viewer');
  });
  afterAll(() => t.close());

  const api = (method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown, token = s.accessToken) => t.request({ method, url: `/api/v1${url}`, token, body });
  const drain = () => t.app.get(JobQueue).drain();

  describe('config', () => {
    it('starts at the default model as version 1 and makes every change a new version', async () => {
      expect((await api('GET', '/health-score/config')).json()).toMatchObject({ version: 1, ...DEFAULT_HEALTH_MODEL });
      const next = { ...DEFAULT_HEALTH_MODEL, weights: { usage: 0.5, engagement: 0.25, incidents: 0.25 }, windowDays: 14 };
      const put = await api('PUT', '/health-score/config', next);
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({ version: 2, windowDays: 14, createdBy: s.userId });
      const again = await api('PUT', '/health-score/config', DEFAULT_HEALTH_MODEL);
      expect(again.json().version).toBe(3);
      expect((await api('GET', '/health-score/config/versions')).json().data.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    });

    const bad: Array<[string, Record<string, unknown>, string]> = [
      ['weights not summing to 1', { weights: { usage: 0.5, engagement: 0.3, incidents: 0.3 } }, 'weights'],
      ['a negative target', { targets: { apiCalls: -5, logins: 30 } }, 'targets.apiCalls'],
      ['a window over 365 days', { windowDays: 366 }, 'windowDays'],
      ['an unknown field', { weights: { usage: 0.4, engagement: 0.3, incidents: 0.3, mood: 0 } }, 'weights.mood'],
      ['an at-risk threshold above healthy', { bands: { healthy: 50, atRisk: 60 } }, 'bands.atRisk'],
    ];
    it.each(bad)('refuses %s with 400 naming the field and stores nothing', async (_n, patch, field) => {
      const before = (await api('GET', '/health-score/config')).json().version;
      const res = await api('PUT', '/health-score/config', { ...DEFAULT_HEALTH_MODEL, ...patch });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect((await api('GET', '/health-score/config')).json().version).toBe(before);
    });

    it('lets only admins change the model or start a recompute', async () => {
      expect((await api('PUT', '/health-score/config', DEFAULT_HEALTH_MODEL, viewer)).statusCode).toBe(403);
      expect((await api('POST', '/health-score/recompute', undefined, viewer)).statusCode).toBe(403);
      expect((await api('GET', '/health-score/config', undefined, viewer)).statusCode).toBe(200);
    });
  });

  it('recomputes the tenant as a job with progress, visible at GET /jobs/:id', async () => {
    await createCustomer(t, s.accessToken);
    await drain();
    const res = await api('POST', '/health-score/recompute');
    expect(res.statusCode).toBe(202);
    await drain();
    const job = (await api('GET', `/jobs/${res.json().jobId}`)).json();
    expect(job).toMatchObject({ state: 'completed', progress: { percent: 100 }, result: { tenantId: s.tenantId, configVersion: 3 } });
    expect(job.result.customers).toBeGreaterThan(0);
    const other = await registerTenant(t);
    expect((await api('GET', `/jobs/${res.json().jobId}`, undefined, other.accessToken)).statusCode).toBe(404);
  });

  it('filters and sorts the customer list by health, paging with a keyset cursor', async () => {
    const tenant = await registerTenant(t);
    const ids: string[] = [];
    // Scores 30 (no activity) x2, 40, 70, 100.
    for (const [apiCalls, n] of [[0, 0], [0, 0], [1250, 0], [5000, 0], [5000, 30]] as const) {
      const id = (await createCustomer(t, tenant.accessToken)).id as string;
      ids.push(id);
      await ingest(t, tenant.tenantId, [...(apiCalls ? [usage(id, apiCalls)] : []), ...logins(id, n)]);
    }
    await drain();
    const list = (q: string) => t.request({ method: 'GET', url: `/api/v1/customers?${q}`, token: tenant.accessToken });
    const idsOf = (r: { json(): { data: Array<{ id: string }> } }) => r.json().data.map((c) => c.id);
    expect(idsOf(await list('healthMin=40&healthMax=70')).sort()).toEqual([ids[2], ids[3]].sort());
    expect(idsOf(await list('band=critical')).sort()).toEqual([ids[0], ids[1]].sort());
    expect(idsOf(await list('band=healthy,at_risk&healthMin=71'))).toEqual([ids[4]]);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page++) {
      const r = await list(`sortBy=healthScore&sortOrder=desc&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.statusCode).toBe(200);
      seen.push(...idsOf(r));
      cursor = r.json().page.nextCursor;
      if (!cursor) break;
    }
    expect(seen.slice(0, 3)).toEqual([ids[4], ids[3], ids[2]]);
    expect(seen.slice(3).sort()).toEqual([ids[0], ids[1]].sort());
    const badBand = await list('band=sunny');
    expect(badBand.statusCode).toBe(400);
    expect(badBand.json().error.details[0].field).toBe('band');
    expect((await list('healthMin=101')).statusCode).toBe(400);
  });

  it('answers 404 for another tenant\'s customer health and 400 for a history range over 400 days', async () => {
    const c = await createCustomer(t, s.accessToken);
    const other = await registerTenant(t);
    expect((await api('GET', `/customers/${c.id}/health`, undefined, other.accessToken)).statusCode).toBe(404);
    const far = await api('GET', `/customers/${c.id}/health/history?from=2024-01-01&to=2026-01-01`);
    expect(far.statusCode).toBe(400);
    expect(far.json().error.details[0].field).toBe('from');
  });
});
