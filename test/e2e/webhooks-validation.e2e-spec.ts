import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** Bad input for webhooks, with the SSRF guard on (WEBHOOK_ALLOW_PRIVATE unset). */
describe('Webhooks: bad input -> 400 naming the field', () => {
  let t: TestApp;
  let s: TenantSession;

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/v1/webhooks', token: s.accessToken, body });
  const fields = (res: { json(): any }) => (res.json().error.details as Array<{ field: string }>).map((d) => d.field);

  it.each(['not a url', 'ftp://example.com/hook', 'example.com/hook', 'http://'])('refuses the invalid URL %s', async (url) => {
    const res = await create({ url, events: ['*'] });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toContain('url');
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
    'http://192.168.0.10/hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]/hook',
    'http://[fd00::1]/hook',
    'http://0.0.0.0/hook',
  ])('refuses %s, which resolves to a private, loopback or link-local address', async (url) => {
    const res = await create({ url, events: ['*'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'url', message: expect.stringMatching(/private, loopback or link-local/) }]);
  });

  it('refuses a URL with credentials in it', async () => {
    const res = await create({ url: 'https://user:pw@93.184.216.34/hook', events: ['*'] });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['url']);
  });

  it('refuses an unknown event type', async () => {
    const res = await create({ url: 'https://93.184.216.34/hook', events: ['customer.created', 'customer.exploded'] });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['events']);
    expect(res.json().error.message).toContain('known event types');
  });

  it('refuses an empty event list and unknown fields', async () => {
    expect(fields(await create({ url: 'https://93.184.216.34/hook', events: [] }))).toEqual(['events']);
    expect(fields(await create({ url: 'https://93.184.216.34/hook', events: ['*'], secret: 'mine' }))).toEqual(['secret']);
  });

  it('refuses a segment or tier filter naming none of the tenant\'s segments or tiers', async () => {
    const seg = await create({ url: 'https://93.184.216.34/hook', events: ['*'], filter: { segmentId: 'seg-1' } });
    expect(seg.statusCode).toBe(400);
    expect(fields(seg)).toEqual(['filter.segmentId']);
    const tier = await create({ url: 'https://93.184.216.34/hook', events: ['*'], filter: { tier: 'diamond' } });
    expect(tier.statusCode).toBe(400);
    expect(fields(tier)).toEqual(['filter.tier']);
    const ok = await create({ url: 'https://93.184.216.34/hook', events: ['*'], filter: { tier: 'gold' } });
    expect(ok.statusCode).toBe(201);
  });

  it('accepts a public URL (no request is made at creation)', async () => {
    const res = await create({ url: 'https://93.184.216.34/hook', events: ['customer.created'] });
    expect(res.statusCode).toBe(201);
  });

  it('refuses a private URL on update too', async () => {
    const created = (await create({ url: 'https://93.184.216.34/hook', events: ['*'] })).json();
    const res = await t.request({ method: 'PATCH', url: `/api/v1/webhooks/${created.id}`, token: s.accessToken, body: { url: 'http://127.0.0.1/x' } });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['url']);
  });
});
