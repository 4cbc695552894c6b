import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createConnection, syncAndWait } from '../support/crm-helpers';
import { FakeHubSpot } from '../support/fake-hubspot';
import { createTestApp, TestApp } from '../support/test-app';

describe('CRM sync with HubSpot (@hubspot/api-client against a local CRM v3 API)', () => {
  let t: TestApp;
  let s: TenantSession;
  let hs: FakeHubSpot;

  const connect = (extra: Record<string, unknown> = {}) =>
    createConnection(t, s.accessToken, {
      name: 'HubSpot',
      provider: 'hubspot',
      credentials: { accessToken: hs.accessToken },
      options: { baseUrl: hs.url },
      fieldMapping: { email: 'email', firstName: 'firstname', lastName: 'lastname', 'attributes.plan': 'plan' },
      ...extra,
    });

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', CRM_RETRY_BASE_MS: '20' });
    hs = await new FakeHubSpot().start();
  });
  beforeEach(async () => {
    s = await registerTenant(t);
    hs.contacts.clear();
    hs.http.requests.length = 0;
  });
  afterAll(async () => {
    await hs.close();
    await t.close();
  });

  it('upserts contacts by email in batches of at most 100', async () => {
    for (let i = 0; i < 105; i++) await createCustomer(t, s.accessToken, { firstName: `F${i}`, attributes: { plan: i % 2 ? 'pro' : 'free' } });
    const conn = await connect({ direction: 'push' });
    const run = await syncAndWait(t, s.accessToken, conn.id);
    expect(run).toMatchObject({ status: 'succeeded', created: 105, updated: 0, failed: 0 });
    const batches = hs.requests('/batch/upsert').map((r) => r.json.inputs.length);
    expect(batches).toEqual([100, 5]);
    expect(hs.requests('/batch/upsert')[0].json.inputs[0]).toMatchObject({ idProperty: 'email', properties: { firstname: 'F0', plan: 'free' } });
    const again = await syncAndWait(t, s.accessToken, conn.id, true);
    expect(again).toMatchObject({ created: 0, updated: 105 });
    expect(hs.contacts.size).toBe(105);
  });

  it('records the contact HubSpot refuses and syncs the rest of its batch; skips customers without email', async () => {
    const good = await createCustomer(t, s.accessToken);
    const bad = await createCustomer(t, s.accessToken, { email: 'someone@blocked.example' });
    await createCustomer(t, s.accessToken, { email: undefined, phone: '+14155550199' });
    const conn = await connect();
    const run = await syncAndWait(t, s.accessToken, conn.id);
    expect(run).toMatchObject({ status: 'partial', created: 1, failed: 1, skipped: 1 });
    expect(run.errors).toEqual([expect.objectContaining({ customerId: bad.id, message: expect.stringContaining('Property values were not valid') })]);
    expect(hs.byEmail(good.email)).toBeDefined();
  });

  it('honours 429 Retry-After on upsert and retries a 502 on search', async () => {
    await createCustomer(t, s.accessToken);
    hs.http.once((r) => r.path.includes('/batch/upsert'), { status: 429, headers: { 'retry-after': '1' }, body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT' } });
    hs.http.once((r) => r.path.includes('/search'), { status: 502, body: { status: 'error', message: 'bad gateway' } });
    const conn = await connect({ direction: 'both' });
    const run = await syncAndWait(t, s.accessToken, conn.id);
    expect(run).toMatchObject({ status: 'succeeded', created: 1, failed: 0 });
    expect(hs.requests('/batch/upsert')).toHaveLength(2);
    expect(hs.requests('/search')).toHaveLength(2);
  });

  it('pulls contacts changed since the cursor through search paging, matching existing customers by email', async () => {
    const existing = await createCustomer(t, s.accessToken, { email: 'match@example.com', firstName: 'Old' });
    const base = Date.parse('2026-02-01T00:00:00Z');
    for (let i = 0; i < 120; i++) hs.seed({ email: `p${i}@example.com`, firstname: `P${i}`, lastname: 'Pulled' }, new Date(base + i * 1000));
    hs.seed({ email: 'MATCH@example.com', firstname: 'New', plan: 'enterprise' }, new Date(base + 200_000));
    const conn = await connect({ direction: 'pull' });
    const run = await syncAndWait(t, s.accessToken, conn.id);
    expect(run).toMatchObject({ status: 'succeeded', created: 120, updated: 1 });
    expect(hs.requests('/search')).toHaveLength(2);
    const matched = (await t.request({ method: 'GET', url: `/api/v1/customers/${existing.id}`, token: s.accessToken })).json();
    expect(matched).toMatchObject({ firstName: 'New', attributes: { plan: 'enterprise' } });
    hs.seed({ email: 'late@example.com', firstname: 'Late' }, new Date(base + 300_000));
    const second = await syncAndWait(t, s.accessToken, conn.id);
    expect(second).toMatchObject({ created: 1, updated: 0 });
    const lastSearch = hs.requests('/search').pop()!;
    expect(Number(lastSearch.json.filterGroups[0].filters[0].value)).toBe(base + 200_000);
    const total = (await t.request({ method: 'GET', url: '/api/v1/customers?withTotal=true&limit=1', token: s.accessToken })).json().page.total;
    expect(total).toBe(122);
  });

  it('does not push back what it just pulled', async () => {
    hs.seed({ email: 'roundtrip@example.com', firstname: 'Round', lastname: 'Trip' });
    const conn = await connect({ direction: 'both' });
    expect(await syncAndWait(t, s.accessToken, conn.id)).toMatchObject({ created: 1 });
    const upserts = hs.requests('/batch/upsert').length;
    expect(await syncAndWait(t, s.accessToken, conn.id)).toMatchObject({ created: 0, updated: 0 });
    expect(hs.requests('/batch/upsert')).toHaveLength(upserts);
  });
});
