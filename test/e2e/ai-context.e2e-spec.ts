import { countTokens } from 'gpt-tokenizer';
import { createCustomer } from '../factories/customer.factory';
import { drainJobs } from '../factories/purchase.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** GET /customers/:id/ai-context: ranked, masked, within the token budget. */
describe('AI context API', () => {
  let t: TestApp;
  let s: TenantSession;
  let agent: string;
  let c: Record<string, any>;
  const url = (id: string, qs = '') => `/api/v1/customers/${id}/ai-context${qs}`;
  const get = (u: string, token = s.accessToken) => t.request({ method: 'GET', url: u, token });

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    agent = await tokenForRole(t, s, 'agent');
    c = await createCustomer(t, s.accessToken, { email: 'jane.doe@example.com', phone: '+447911123489', firstName: 'Jane', lastName: 'Doe', externalId: 'pos-jane' });
    const post = async (u: string, body: unknown, method: 'POST' | 'PUT' = 'POST') => {
      const res = await t.request({ method, url: u, token: s.accessToken, body });
      if (res.statusCode >= 300) throw new Error(`${u}: ${res.statusCode} ${res.body}`);
    };
    await post(`/api/v1/customers/${c.id}/preferences`, { channels: { email: true, sms: true, call: false, push: false }, doNotContact: true, marketingConsent: { granted: false } }, 'PUT');
    await post(`/api/v1/customers/${c.id}/addresses`, { type: 'shipping', line1: '221B Baker Street', city: 'London', postalCode: 'NW1 6XE', country: 'GB' });
    await post(`/api/v1/customers/${c.id}/notes`, { type: 'preference', body: 'Allergic to hazelnuts; call her at +447911123489 before delivery', pinned: true });
    const at = new Date(Date.now() - 3600_000).toISOString();
    const events = [
      { type: 'purchase', customer_id: c.id, occurred_at: at, data: { orderId: 'o-1', amount: 120, currency: 'USD' } },
      { type: 'support_ticket', customer_id: c.id, occurred_at: at, data: { ticketId: 'T-9', subject: 'Checkout fails', severity: 'critical', status: 'open' } },
      ...Array.from({ length: 30 }, (_, i) => ({ type: 'custom', customer_id: c.id, occurred_at: at, data: { name: `Viewed pricing page variant ${i} ${'long description '.repeat(4)}`.slice(0, 100) } })),
    ];
    const res = await t.request({ method: 'POST', url: '/api/v1/events', token: s.accessToken, body: { events } });
    expect(res.json().accepted).toBe(events.length);
    await drainJobs(t);
  });
  afterAll(() => t.close());

  it('answers Markdown with every section, doNotContact stated plainly and contact details masked', async () => {
    const res = await get(url(c.id));
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b).toMatchObject({ format: 'markdown', customerId: c.id, maxTokens: 2000, piiMasked: true, tokenizer: 'o200k_base' });
    const md: string = b.content;
    for (const h of ['## Customer', '## Contact preferences', '## Health', '## Open support tickets', '## Pinned notes', '## Key metrics', '## Loyalty']) expect(md).toContain(h);
    expect(md).toContain('DO NOT CONTACT');
    expect(md).toContain('j***@example.com');
    expect(md).toContain('+44********89');
    expect(md).not.toContain('jane.doe@example.com');
    expect(md).not.toContain('7911123489');
    expect(md).not.toContain('Baker Street');
    expect(md).toContain('T-9 [critical, open] Checkout fails');
    expect(md).toContain('Allergic to hazelnuts');
    expect(b.tokens).toBe(countTokens(md));
    expect(b.tokens).toBeLessThanOrEqual(2000);
  });

  it('answers a JSON object with the same sections', async () => {
    const b = (await get(url(c.id, '?format=json'))).json();
    expect(b.format).toBe('json');
    expect(b.content).toMatchObject({ customerId: c.id, customer: { name: 'Jane Doe', email: 'j***@example.com' }, preferences: { doNotContact: true } });
    expect(b.content.health.score).toEqual(expect.objectContaining({ band: expect.any(String) }));
    expect(b.content.openTickets[0]).toMatchObject({ ticketId: 'T-9', severity: 'critical' });
    expect(b.tokens).toBe(countTokens(JSON.stringify(b.content)));
  });

  it('trims the lowest-ranked sections first to stay within a small budget', async () => {
    const b = (await get(url(c.id, '?maxTokens=200'))).json();
    expect(b.tokens).toBeLessThanOrEqual(200);
    expect(countTokens(b.content)).toBeLessThanOrEqual(200);
    expect(b.truncated).toBe(true);
    const trimmed = b.trimmed.map((x: { section: string }) => x.section);
    expect(trimmed).toContain('recentEvents');
    expect(trimmed).not.toContain('customer');
    expect(b.content).toContain('## Customer');
    expect(b.content).toContain('DO NOT CONTACT');
  });

  it('shows contact details to an admin asking with pii=true', async () => {
    const b = (await get(url(c.id, '?pii=true'))).json();
    expect(b.piiMasked).toBe(false);
    expect(b.content).toContain('jane.doe@example.com');
    expect(b.content).toContain('221B Baker Street');
  });

  it('refuses pii=true to an agent with 403', async () => {
    const res = await get(url(c.id, '?pii=true'), agent);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
    expect((await get(url(c.id), agent)).statusCode).toBe(200);
  });

  it.each([['?maxTokens=199'], ['?maxTokens=32001'], ['?maxTokens=abc']])('rejects %s with 400 naming maxTokens', async (qs) => {
    const res = await get(url(c.id, qs));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('maxTokens');
  });

  it('rejects an unknown format with 400 naming format', async () => {
    const res = await get(url(c.id, '?format=yaml'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('format');
  });

  it("answers 404 for another tenant's customer", async () => {
    const other = await registerTenant(t);
    const res = await get(url(c.id), other.accessToken);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CUSTOMER_NOT_FOUND');
  });
});
