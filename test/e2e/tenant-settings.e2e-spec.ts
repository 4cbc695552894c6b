import { TenantsService } from '../../src/modules/identity';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('tenant settings API', () => {
  let t: TestApp;
  let a: TenantSession;
  let b: TenantSession;

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerTenant(t, 'Acme Coffee');
    b = await registerTenant(t);
  });
  afterAll(() => t.close());

  const patch = (token: string, body: unknown) => t.request({ method: 'PATCH', url: '/api/v1/tenant/settings', token, body });

  it('shows a viewer the tenant of the token with USD as the default base currency', async () => {
    const viewer = await tokenForRole(t, a, 'viewer');
    const res = await t.request({ method: 'GET', url: '/api/v1/tenant', token: viewer });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: a.tenantId, name: 'Acme Coffee', slug: a.slug, settings: { baseCurrency: 'USD' } });
  });

  it('lets an admin change the base currency (any case) and the name, leaving the other tenant alone', async () => {
    const admin = await tokenForRole(t, a, 'admin');
    const res = await patch(admin, { baseCurrency: 'eur', name: '  Acme Coffee GmbH ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Acme Coffee GmbH', settings: { baseCurrency: 'EUR' } });
    const renamedOnly = await patch(a.accessToken, { name: 'Acme Coffee AG' });
    expect(renamedOnly.json().settings.baseCurrency).toBe('EUR');
    expect(await t.app.get(TenantsService).baseCurrency(a.tenantId)).toBe('EUR');
    expect((await t.request({ method: 'GET', url: '/api/v1/tenant', token: b.accessToken })).json().settings.baseCurrency).toBe('USD');
  });

  it('refuses an agent or a viewer with 403', async () => {
    for (const role of ['agent', 'viewer'] as const) {
      const res = await patch(await tokenForRole(t, a, role), { baseCurrency: 'GBP' });
      expect(res.statusCode).toBe(403);
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/tenant', token: a.accessToken })).json().settings.baseCurrency).not.toBe('GBP');
  });

  it.each([
    ['baseCurrency', { baseCurrency: 'ABC' }],
    ['baseCurrency', { baseCurrency: 'EURO' }],
    ['baseCurrency', { baseCurrency: 978 }],
    ['name', { name: '   ' }],
    ['name', { name: 'x'.repeat(201) }],
    ['timezone', { timezone: 'UTC' }],
  ])('refuses a bad %s with 400 naming it', async (field, body) => {
    const res = await patch(a.accessToken, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
  });
});
