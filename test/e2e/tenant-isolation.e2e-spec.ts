import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

const PREFS = { channels: { email: true, sms: true, call: false, push: false }, doNotContact: false, marketingConsent: { granted: true, source: 'web' } };

describe("another tenant's ids answer 404 and change nothing", () => {
  let t: TestApp;
  let a: TenantSession;
  let b: TenantSession;
  let ids: { customer: string; note: string; address: string; ownCustomer: string };
  let before: Record<string, unknown>;

  const as = (s: TenantSession) => (method: Method, url: string, body?: unknown) => t.request({ method, url, token: s.accessToken, body });

  /** Everything tenant A can see about its customer, read as A. */
  const snapshot = async () => {
    const get = (url: string) => as(a)('GET', url).then((r) => ({ status: r.statusCode, body: r.json() }));
    return {
      customer: await get(`/api/v1/customers/${ids.customer}`),
      notes: await get(`/api/v1/customers/${ids.customer}/notes`),
      addresses: await get(`/api/v1/customers/${ids.customer}/addresses`),
      preferences: await get(`/api/v1/customers/${ids.customer}/preferences`),
      history: await get(`/api/v1/customers/${ids.customer}/preferences/history`),
      users: await get('/api/v1/users'),
    };
  };

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerTenant(t);
    b = await registerTenant(t);
    const c = await createCustomer(t, a.accessToken, { tags: ['vip'] });
    const note = (await as(a)('POST', `/api/v1/customers/${c.id}/notes`, { type: 'issue', body: 'A only' })).json();
    const address = (await as(a)('POST', `/api/v1/customers/${c.id}/addresses`, { type: 'home', line1: '1 Main St', city: 'Springfield', country: 'US' })).json();
    await as(a)('PUT', `/api/v1/customers/${c.id}/preferences`, PREFS);
    const own = await createCustomer(t, b.accessToken);
    ids = { customer: c.id, note: note.id, address: address.id, ownCustomer: own.id };
    before = await snapshot();
    expect(before.customer).toMatchObject({ status: 200 });
  });
  afterAll(() => t.close());

  const routes: Array<[Method, string, unknown?]> = [
    ['GET', '/customers/{c}'],
    ['PATCH', '/customers/{c}', { firstName: 'Mallory' }],
    ['DELETE', '/customers/{c}'],
    ['DELETE', '/customers/{c}?hard=true'],
    ['POST', '/customers/{c}/restore'],
    ['GET', '/customers/{c}/notes'],
    ['POST', '/customers/{c}/notes', { type: 'personal', body: 'planted' }],
    ['GET', '/customers/{c}/notes/{n}'],
    ['PATCH', '/customers/{c}/notes/{n}', { body: 'edited by B' }],
    ['DELETE', '/customers/{c}/notes/{n}'],
    ['GET', '/customers/{c}/addresses'],
    ['POST', '/customers/{c}/addresses', { type: 'work', line1: '2 Side St', city: 'Shelbyville', country: 'US' }],
    ['GET', '/customers/{c}/addresses/{a}'],
    ['PATCH', '/customers/{c}/addresses/{a}', { city: 'Capital City' }],
    ['DELETE', '/customers/{c}/addresses/{a}'],
    ['GET', '/customers/{c}/preferences'],
    ['PUT', '/customers/{c}/preferences', { ...PREFS, doNotContact: true }],
    ['GET', '/customers/{c}/preferences/history'],
    // B's own customer with A's child ids.
    ['GET', '/customers/{own}/notes/{n}'],
    ['PATCH', '/customers/{own}/notes/{n}', { pinned: true }],
    ['DELETE', '/customers/{own}/notes/{n}'],
    ['GET', '/customers/{own}/addresses/{a}'],
    ['PATCH', '/customers/{own}/addresses/{a}', { city: 'Ogdenville' }],
    ['DELETE', '/customers/{own}/addresses/{a}'],
    // A's owner seen from B's users API.
    ['GET', '/users/{u}'],
    ['PATCH', '/users/{u}', { role: 'viewer' }],
    ['DELETE', '/users/{u}'],
  ];

  // Rows padded to three cells: with fewer, Jest would pass its done callback as `body`.
  it.each(routes.map(([m, p, body]) => [m, p, body ?? null] as const))('%s %s', async (method, path, body) => {
    const url = `/api/v1${path}`
      .replace('{c}', ids.customer)
      .replace('{own}', ids.ownCustomer)
      .replace('{n}', ids.note)
      .replace('{a}', ids.address)
      .replace('{u}', a.userId);
    const res = await as(b)(method, url, body ?? undefined);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toMatch(/_NOT_FOUND$/);
    expect(res.body).not.toContain('Springfield');
  });

  it('left everything of tenant A as it was', async () => {
    expect(await snapshot()).toEqual(before);
  });

  it("does not list or count tenant A's customers for tenant B", async () => {
    const list = (await as(b)('GET', '/api/v1/customers?withTotal=true')).json();
    expect(list.data.map((c: { id: string }) => c.id)).toEqual([ids.ownCustomer]);
    expect(list.page.total).toBe(1);
    expect((await as(b)('GET', '/api/v1/customers/stats')).json().topTags).toEqual([]);
  });
});
