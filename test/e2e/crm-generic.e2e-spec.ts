import { ServerResponse } from 'http';
import { JobQueue } from '../../src/infra/queue';
import { CrmSyncService } from '../../src/modules/crm';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createConnection, syncAndWait } from '../support/crm-helpers';
import { HttpReceiver, ReceivedRequest } from '../support/http-receiver';
import { createTestApp, TestApp } from '../support/test-app';

describe('CRM sync with a generic REST API, and scheduled syncs', () => {
  let t: TestApp;
  let s: TenantSession;
  let api: HttpReceiver;
  const remote = new Map<string, Record<string, unknown>>();
  let pullRows: Array<Record<string, unknown>> = [];

  /** PUT /contacts/:id stores a contact (201 new, 200 known; 422 for a .invalid address); GET /changes pages pullRows by 2. */
  const route = (req: ReceivedRequest, res: ServerResponse): boolean => {
    const put = /^\/contacts\/([\w-]+)$/.exec(req.path);
    if (req.method === 'PUT' && put) {
      if (req.headers.authorization !== 'Bearer generic-token' || req.headers['x-api-key'] !== 'k1') {
        res.writeHead(401).end();
        return true;
      }
      if (String(req.json.mail ?? '').endsWith('.invalid')) {
        res.writeHead(422, { 'content-type': 'application/json' }).end('{"message":"mail is not deliverable"}');
        return true;
      }
      const known = remote.has(put[1]);
      remote.set(put[1], req.json);
      res.writeHead(known ? 200 : 201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `r-${put[1]}` }));
      return true;
    }
    if (req.method === 'GET' && req.path.startsWith('/changes')) {
      const u = new URL(req.path, 'http://x');
      const since = u.searchParams.get('since');
      const rows = pullRows.filter((r) => !since || String(r.modified) >= since);
      const offset = Number(u.searchParams.get('cursor') ?? 0);
      const next = offset + 2 < rows.length ? String(offset + 2) : null;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: rows.slice(offset, offset + 2), nextCursor: next }));
      return true;
    }
    return false;
  };

  const connect = (extra: Record<string, unknown> = {}) =>
    createConnection(t, s.accessToken, {
      name: 'Generic',
      provider: 'generic',
      credentials: { token: 'generic-token', headers: { 'X-Api-Key': 'k1' } },
      options: { pushUrl: api.url('/contacts/{id}'), pushMethod: 'PUT', pullUrl: api.url('/changes'), updatedAtField: 'modified', idField: 'key' },
      fieldMapping: { email: 'mail', firstName: 'given', 'attributes.plan': 'plan' },
      direction: 'push',
      ...extra,
    });

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', CRM_RETRY_BASE_MS: '20' });
    api = await new HttpReceiver(route).start();
  });
  beforeEach(async () => {
    s = await registerTenant(t);
    remote.clear();
    pullRows = [];
    api.requests.length = 0;
  });
  afterAll(async () => {
    await api.close();
    await t.close();
  });

  it('sends each customer to the configured URL and method with the mapping; 201 created, 200 updated, 422 recorded', async () => {
    const a = await createCustomer(t, s.accessToken, { firstName: 'Ann', attributes: { plan: 'pro' } });
    const bad = await createCustomer(t, s.accessToken, { email: 'x@mail.invalid' });
    const conn = await connect();
    const run = await syncAndWait(t, s.accessToken, conn.id);
    expect(run).toMatchObject({ status: 'partial', created: 1, failed: 1 });
    expect(run.errors[0]).toMatchObject({ customerId: bad.id, message: 'HTTP 422: mail is not deliverable' });
    expect(remote.get(a.id)).toEqual({ id: a.id, mail: a.email, given: 'Ann', plan: 'pro' });
    expect(await syncAndWait(t, s.accessToken, conn.id, true)).toMatchObject({ updated: 1, failed: 1 });
  });

  it('retries a 500 and a dropped connection, and fails the run (cursor kept) when the API stays down', async () => {
    const a = await createCustomer(t, s.accessToken);
    api.once((r) => r.method === 'PUT', 500).once((r) => r.method === 'PUT', 'close');
    const conn = await connect();
    expect(await syncAndWait(t, s.accessToken, conn.id)).toMatchObject({ status: 'succeeded', created: 1 });
    expect(api.requests.filter((r) => r.method === 'PUT')).toHaveLength(3);
    await t.request({ method: 'PATCH', url: `/api/v1/customers/${a.id}`, token: s.accessToken, body: { firstName: 'Again' } });
    for (let i = 0; i < 10; i++) api.once((r) => r.method === 'PUT', 503);
    const down = await syncAndWait(t, s.accessToken, conn.id);
    expect(down).toMatchObject({ status: 'failed', updated: 0 });
    expect(down.message).toContain('HTTP 503');
    const after = await syncAndWait(t, s.accessToken, conn.id);
    expect(after).toMatchObject({ status: 'succeeded', updated: 1 });
    expect(remote.get(a.id)).toMatchObject({ given: 'Again' });
  });

  it('pulls changed records page by page into customers, matching by email', async () => {
    const existing = await createCustomer(t, s.accessToken, { email: 'known@example.com' });
    pullRows = [
      { key: 'k1', mail: 'known@example.com', given: 'Known', modified: '2026-03-01T00:00:00.000Z' },
      { key: 'k2', mail: 'fresh@example.com', given: 'Fresh', plan: 'free', modified: '2026-03-02T00:00:00.000Z' },
      { key: 'k3', mail: 'other@example.com', modified: '2026-03-03T00:00:00.000Z' },
    ];
    const conn = await connect({ direction: 'pull' });
    expect(await syncAndWait(t, s.accessToken, conn.id)).toMatchObject({ status: 'succeeded', created: 2, updated: 1 });
    expect(api.requests.filter((r) => r.path.startsWith('/changes'))).toHaveLength(2);
    expect((await t.request({ method: 'GET', url: `/api/v1/customers/${existing.id}`, token: s.accessToken })).json().firstName).toBe('Known');
    const last = await syncAndWait(t, s.accessToken, conn.id);
    expect(last).toMatchObject({ created: 0, updated: 0, skipped: 1 });
    expect(api.requests.pop()!.path).toContain('since=2026-03-03T00%3A00%3A00.000Z');
  });

  it('starts a scheduled sync once when its cron time comes, on one instance only', async () => {
    const conn = await connect({ schedule: '*/5 * * * *' });
    expect(conn.nextRunAt).toEqual(expect.any(String));
    const due = new Date(Date.parse(conn.nextRunAt) + 1000);
    const sync = t.app.get(CrmSyncService);
    const [first, second] = await Promise.all([sync.dispatchDue(due), sync.dispatchDue(due)]);
    expect(first + second).toBe(1);
    const runs = (await t.request({ method: 'GET', url: `/api/v1/crm/connections/${conn.id}/runs`, token: s.accessToken })).json().data;
    expect(runs).toHaveLength(1);
    expect(runs[0].triggeredBy).toBe('schedule');
    const moved = (await t.request({ method: 'GET', url: `/api/v1/crm/connections/${conn.id}`, token: s.accessToken })).json();
    expect(Date.parse(moved.nextRunAt)).toBe(Date.parse(conn.nextRunAt) + 5 * 60_000);
  });

  it('refuses a second sync while one is queued or running', async () => {
    await createCustomer(t, s.accessToken);
    api.once((r) => r.method === 'PUT', { status: 201, delayMs: 1000, body: {} });
    const conn = await connect();
    const first = await t.request({ method: 'POST', url: `/api/v1/crm/connections/${conn.id}/sync`, token: s.accessToken, body: {} });
    const second = await t.request({ method: 'POST', url: `/api/v1/crm/connections/${conn.id}/sync`, token: s.accessToken, body: {} });
    expect(first.statusCode).toBe(202);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.details.runId).toBe(first.json().runId);
    await t.app.get(JobQueue).drain();
  });
});
