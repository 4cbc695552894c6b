import { DataSource } from 'typeorm';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createConnection, syncAndWait } from '../support/crm-helpers';
import { FakeSalesforce } from '../support/fake-salesforce';
import { createTestApp, TestApp } from '../support/test-app';

describe('CRM sync with Salesforce (jsforce against a local Salesforce API)', () => {
  let t: TestApp;
  let s: TenantSession;
  let sf: FakeSalesforce;

  const connect = (extra: Record<string, unknown> = {}) =>
    createConnection(t, s.accessToken, {
      name: `SF ${Math.random()}`,
      provider: 'salesforce',
      credentials: { loginUrl: sf.url, clientId: sf.clientId, clientSecret: sf.clientSecret, username: 'api@example.com', password: 'pw' },
      ...extra,
    });

  beforeAll(async () => {
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', CRM_RETRY_BASE_MS: '20' });
    sf = await new FakeSalesforce().start();
  });
  beforeEach(async () => {
    s = await registerTenant(t);
    sf.contacts.clear();
    sf.http.requests.length = 0;
  });
  afterAll(async () => {
    await sf.close();
    await t.close();
  });

  it('pushes customers as Contacts upserted by the CustomerIQ id, records the one Salesforce refuses, and goes on', async () => {
    const a = await createCustomer(t, s.accessToken, { firstName: 'Ada', lastName: 'Lovelace' });
    const b = await createCustomer(t, s.accessToken, { firstName: 'Nolast', lastName: undefined });
    const c = await createCustomer(t, s.accessToken, { firstName: 'Alan', lastName: 'Turing' });
    const conn = await connect({ direction: 'push' });
    const run = await syncAndWait(t, s.accessToken, conn.id);
    expect(run).toMatchObject({ status: 'partial', created: 2, updated: 0, failed: 1, skipped: 0 });
    expect(run.errors).toEqual([expect.objectContaining({ direction: 'push', customerId: b.id, email: b.email, message: expect.stringContaining('REQUIRED_FIELD_MISSING') })]);
    expect(sf.byExternalId(a.id)).toMatchObject({ Email: a.email, FirstName: 'Ada', LastName: 'Lovelace' });
    expect(sf.byExternalId(c.id)).toMatchObject({ LastName: 'Turing' });
    expect(sf.requests('POST', '/services/oauth2/token')).toHaveLength(1);
    const job = (await t.request({ method: 'GET', url: `/api/v1/jobs/${run.jobId}`, token: s.accessToken })).json();
    expect(job).toMatchObject({ state: 'completed', progress: { phase: 'done', created: 2, failed: 1 } });
  });

  it('pushes only what changed since the last sync, and everything again on a full sync', async () => {
    const a = await createCustomer(t, s.accessToken, { lastName: 'One' });
    await createCustomer(t, s.accessToken, { lastName: 'Two' });
    const conn = await connect();
    expect(await syncAndWait(t, s.accessToken, conn.id)).toMatchObject({ status: 'succeeded', created: 2 });
    expect(await syncAndWait(t, s.accessToken, conn.id)).toMatchObject({ status: 'succeeded', created: 0, updated: 0 });
    await t.request({ method: 'PATCH', url: `/api/v1/customers/${a.id}`, token: s.accessToken, body: { firstName: 'Changed' } });
    expect(await syncAndWait(t, s.accessToken, conn.id)).toMatchObject({ created: 0, updated: 1 });
    expect(sf.byExternalId(a.id)!.FirstName).toBe('Changed');
    expect(await syncAndWait(t, s.accessToken, conn.id, true)).toMatchObject({ mode: 'full', updated: 2 });
  });

  it('waits out a 429 with Retry-After and retries a 503 instead of failing the batch', async () => {
    await createCustomer(t, s.accessToken, { lastName: 'Limited' });
    sf.http.once((r) => r.method === 'PATCH', { status: 429, headers: { 'retry-after': '1' }, body: [{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' }] });
    sf.http.once((r) => r.method === 'PATCH', { status: 503, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'maintenance' }] });
    const conn = await connect();
    const run = await syncAndWait(t, s.accessToken, conn.id);
    expect(run).toMatchObject({ status: 'succeeded', created: 1, failed: 0 });
    expect(sf.requests('PATCH', '/composite/sobjects/Contact/CustomerIQ_Id__c')).toHaveLength(3);
  });

  it('pulls changed Contacts into customers, matched by email, never duplicated', async () => {
    const existing = await createCustomer(t, s.accessToken, { email: 'grace@example.com', firstName: 'G' });
    sf.seed({ Email: 'Grace@Example.com', FirstName: 'Grace', LastName: 'Hopper' }, new Date('2026-01-01T00:00:00Z'));
    sf.seed({ Email: 'new.person@example.com', FirstName: 'New', LastName: 'Person', Phone: '+14155550123' }, new Date('2026-01-02T00:00:00Z'));
    sf.seed({ Email: 'not-an-email', LastName: 'Broken' }, new Date('2026-01-03T00:00:00Z'));
    sf.seed({ FirstName: 'NoKey', LastName: 'Nobody' }, new Date('2026-01-04T00:00:00Z'));
    const conn = await connect({ direction: 'pull' });
    const run = await syncAndWait(t, s.accessToken, conn.id);
    expect(run).toMatchObject({ status: 'partial', created: 1, updated: 1, failed: 1, skipped: 1 });
    expect(run.errors[0]).toMatchObject({ direction: 'pull', message: expect.stringContaining('email') });
    expect(sf.requests('GET', '/query/')).toHaveLength(1); // 4 contacts in pages of 2: one queryMore
    const grace = (await t.request({ method: 'GET', url: `/api/v1/customers/${existing.id}`, token: s.accessToken })).json();
    expect(grace).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@example.com' });
    const list = (await t.request({ method: 'GET', url: '/api/v1/customers?limit=100', token: s.accessToken })).json().data;
    expect(list).toHaveLength(2);
    expect(list.find((c: { email: string }) => c.email === 'new.person@example.com')).toMatchObject({ source: 'crm:salesforce', phone: '+14155550123' });
    const again = await syncAndWait(t, s.accessToken, conn.id, true);
    expect(again).toMatchObject({ created: 0, updated: 0 });
    expect((await t.request({ method: 'GET', url: '/api/v1/customers?limit=100', token: s.accessToken })).json().data).toHaveLength(2);
  });

  it('fails the run, keeping the cursor, when Salesforce refuses the credentials', async () => {
    await createCustomer(t, s.accessToken, { lastName: 'X' });
    const conn = await connect();
    sf.clientSecret = 'rotated';
    try {
      const run = await syncAndWait(t, s.accessToken, conn.id);
      expect(run.status).toBe('failed');
      expect(run.message).toContain('invalid client credentials');
      expect(sf.contacts.size).toBe(0);
    } finally {
      sf.clientSecret = 'sf-secret';
    }
    expect(await syncAndWait(t, s.accessToken, conn.id)).toMatchObject({ status: 'succeeded', created: 1 });
  });

  it('keeps credentials encrypted at rest and never returns them', async () => {
    const conn = await connect();
    expect(JSON.stringify(conn)).not.toContain(sf.clientSecret);
    expect(conn.credentialFields).toEqual(['clientId', 'clientSecret', 'loginUrl', 'password', 'username']);
    const [row] = await t.app.get(DataSource).query('SELECT credentials_sealed FROM crm_connections WHERE id = ' + (t.config.database.driver === 'postgres' ? '$1' : '?'), [conn.id]);
    expect(row.credentials_sealed).toMatch(/^v1\./);
    expect(row.credentials_sealed).not.toContain(sf.clientSecret);
    const got = await t.request({ method: 'GET', url: `/api/v1/crm/connections/${conn.id}`, token: s.accessToken });
    expect(got.body).not.toContain(sf.clientSecret);
    expect(got.body).not.toContain('"pw"');
  });
});
