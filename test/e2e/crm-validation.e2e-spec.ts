import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** Bad input for CRM connections (SSRF guard on): each answer is a 400 naming the field. */
describe('CRM connections: bad input', () => {
  let t: TestApp;
  let s: TenantSession;

  const hubspot = (extra: Record<string, unknown> = {}) => ({ name: 'HS', provider: 'hubspot', credentials: { accessToken: 'pat-1' }, ...extra });
  const create = (body: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/v1/crm/connections', token: s.accessToken, body });
  const fields = async (body: Record<string, unknown>): Promise<string[]> => {
    const res = await create(body);
    expect(res.statusCode).toBe(400);
    return [...new Set((res.json().error.details as Array<{ field: string }>).map((d) => d.field))];
  };

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
  });
  afterAll(() => t.close());

  it('refuses an invalid cron expression', async () => {
    expect(await fields(hubspot({ schedule: '61 * * * *' }))).toEqual(['schedule']);
    expect(await fields(hubspot({ schedule: 'every day' }))).toEqual(['schedule']);
    expect(await fields(hubspot({ schedule: '* * * * * *' }))).toEqual(['schedule']);
  });

  it('refuses a mapping to an unknown customer field, naming it', async () => {
    expect(await fields(hubspot({ fieldMapping: { email: 'email', shoeSize: 'shoe_size' } }))).toEqual(['fieldMapping.shoeSize']);
    expect(await fields(hubspot({ fieldMapping: { firstName: 'firstname' } }))).toEqual(['fieldMapping.email']);
  });

  it('refuses credentials missing for the provider', async () => {
    expect(await fields({ name: 'SF', provider: 'salesforce', credentials: { clientId: 'id' } })).toEqual(['credentials.clientSecret']);
    expect(await fields({ name: 'SF', provider: 'salesforce', credentials: { clientId: 'id', clientSecret: 's', username: 'u' } })).toEqual(['credentials.password']);
    expect(await fields({ name: 'HS', provider: 'hubspot', credentials: {} })).toEqual(['credentials.accessToken']);
    expect(await fields({ name: 'HS', provider: 'hubspot', credentials: { accessToken: 'x', apiKey: 'y' } })).toEqual(['credentials.apiKey']);
    expect(await fields({ name: 'HS', provider: 'hubspot' })).toContain('credentials');
  });

  it('refuses an unknown provider and a generic connection without the URL its direction needs', async () => {
    expect(await fields({ name: 'X', provider: 'pipedrive', credentials: {} })).toEqual(['provider']);
    expect(await fields({ name: 'G', provider: 'generic', credentials: {}, direction: 'push' })).toEqual(['options.pushUrl']);
    expect(await fields({ name: 'G', provider: 'generic', credentials: {}, direction: 'both', options: { pushUrl: 'https://93.184.216.34/c/{id}' } })).toEqual(['options.pullUrl']);
  });

  it('refuses URLs that resolve to private addresses', async () => {
    expect(await fields({ name: 'SF', provider: 'salesforce', credentials: { clientId: 'a', clientSecret: 'b', loginUrl: 'http://127.0.0.1:9000' } })).toEqual(['credentials.loginUrl']);
    expect(await fields(hubspot({ options: { baseUrl: 'http://10.0.0.5' } }))).toEqual(['options.baseUrl']);
    expect(await fields({ name: 'G', provider: 'generic', credentials: {}, options: { pushUrl: 'http://169.254.169.254/latest' } })).toEqual(['options.pushUrl']);
  });

  it('cannot change the provider of a connection, and hides other tenants\' connections', async () => {
    const created = await create(hubspot());
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const patch = await t.request({ method: 'PATCH', url: `/api/v1/crm/connections/${id}`, token: s.accessToken, body: { provider: 'salesforce' } });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.details[0].field).toBe('provider');
    const bad = await t.request({ method: 'PATCH', url: `/api/v1/crm/connections/${id}`, token: s.accessToken, body: { schedule: 'nope' } });
    expect(bad.json().error.details[0].field).toBe('schedule');
    const other = await registerTenant(t);
    const res = await t.request({ method: 'GET', url: `/api/v1/crm/connections/${id}`, token: other.accessToken });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CRM_CONNECTION_NOT_FOUND');
    expect((await t.request({ method: 'POST', url: `/api/v1/crm/connections/${id}/sync`, token: other.accessToken, body: {} })).statusCode).toBe(404);
  });

  it('needs admin to create a connection', async () => {
    const agent = await tokenForRole(t, s, 'agent');
    expect((await t.request({ method: 'POST', url: '/api/v1/crm/connections', token: agent, body: hubspot() })).statusCode).toBe(403);
  });
});
