import { PreferencesService } from '../../src/modules/preferences';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** A complete, valid PUT body; override any field. */
const prefs = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  channels: { email: true, sms: true, call: false, push: false },
  preferredChannel: 'sms',
  doNotContact: false,
  marketingConsent: { granted: true, source: 'checkout-form' },
  language: 'pt-BR',
  timezone: 'America/Sao_Paulo',
  quietHours: { start: '22:00', end: '07:30' },
  custom: { shoeSize: '42' },
  ...overrides,
});

describe('preferences API', () => {
  let t: TestApp;
  let a: TenantSession;

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerTenant(t);
  });
  afterAll(() => t.close());

  const url = (customerId: string, rest = '') => `/api/v1/customers/${customerId}/preferences${rest}`;
  const put = (customerId: string, body: unknown, headers?: Record<string, string>) => t.request({ method: 'PUT', url: url(customerId), token: a.accessToken, body, headers });
  const get = async (customerId: string) => (await t.request({ method: 'GET', url: url(customerId), token: a.accessToken })).json();
  const history = async (customerId: string, qs = '') => (await t.request({ method: 'GET', url: url(customerId, `/history${qs}`), token: a.accessToken })).json();

  it('answers the defaults, version 0, for a customer who never saved any, without storing them', async () => {
    const c = await createCustomer(t, a.accessToken);
    const res = await t.request({ method: 'GET', url: url(c.id), token: a.accessToken });
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"0"');
    expect(res.json()).toEqual({
      customerId: c.id,
      channels: { email: true, sms: false, call: false, push: false },
      effectiveChannels: { email: true, sms: false, call: false, push: false },
      preferredChannel: null,
      doNotContact: false,
      marketingConsent: { granted: false, source: null, at: null },
      language: null,
      timezone: null,
      quietHours: null,
      custom: {},
      version: 0,
      updatedAt: null,
    });
    // Nothing was written: a first save that expects "no row yet" (version 0) still succeeds.
    expect((await put(c.id, prefs({ version: 0 }))).statusCode).toBe(200);
  });

  it('replaces the whole set, canonicalises language and time zone, and bumps the version', async () => {
    const c = await createCustomer(t, a.accessToken);
    const first = await put(c.id, prefs({ language: 'pt-br', timezone: 'america/sao_paulo' }));
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"1"');
    expect(first.json()).toMatchObject({ language: 'pt-BR', timezone: 'America/Sao_Paulo', preferredChannel: 'sms', quietHours: { start: '22:00', end: '07:30' }, version: 1 });
    const second = await put(c.id, { channels: { email: false, sms: false, call: true, push: false }, doNotContact: false, marketingConsent: { granted: true, source: 'checkout-form' } });
    expect(second.json()).toMatchObject({ channels: { call: true, email: false }, preferredChannel: null, language: null, timezone: null, quietHours: null, custom: {}, version: 2 });
    expect(await get(c.id)).toEqual(second.json());
  });

  it('turns every effective channel off under doNotContact while keeping the opt-ins', async () => {
    const c = await createCustomer(t, a.accessToken);
    const res = (await put(c.id, prefs({ channels: { email: true, sms: true, call: true, push: true }, doNotContact: true }))).json();
    expect(res.channels).toEqual({ email: true, sms: true, call: true, push: true });
    expect(res.effectiveChannels).toEqual({ email: false, sms: false, call: false, push: false });
    expect((await t.app.get(PreferencesService).get(a.tenantId, c.id)).effectiveChannels.email).toBe(false);
  });

  it('keeps every marketing-consent change, newest first, and nothing for a save that leaves consent alone', async () => {
    const c = await createCustomer(t, a.accessToken);
    await put(c.id, prefs({ marketingConsent: { granted: true, source: 'checkout-form', at: '2026-01-01T10:00:00Z' } }));
    await put(c.id, prefs({ marketingConsent: { granted: true, source: 'checkout-form', at: '2026-01-01T10:00:00Z' }, language: 'en' }));
    await put(c.id, prefs({ marketingConsent: { granted: false, source: 'unsubscribe-link' } }));
    await put(c.id, prefs({ marketingConsent: { granted: true, source: 'phone' } }));
    const h = await history(c.id);
    expect(h.data.map((x: { granted: boolean; source: string }) => [x.granted, x.source])).toEqual([
      [true, 'phone'],
      [false, 'unsubscribe-link'],
      [true, 'checkout-form'],
    ]);
    expect(h.data[2]).toMatchObject({ at: '2026-01-01T10:00:00.000Z', changedBy: a.userId });
    const p1 = await history(c.id, '?limit=2');
    expect(p1.data).toHaveLength(2);
    const p2 = await history(c.id, `?limit=2&cursor=${p1.page.nextCursor}`);
    expect([...p1.data, ...p2.data].map((x: { id: string }) => x.id)).toEqual(h.data.map((x: { id: string }) => x.id));
    expect(p2.page.nextCursor).toBeNull();
  });

  it('records no history for a first save that keeps the default (no consent)', async () => {
    const c = await createCustomer(t, a.accessToken);
    await put(c.id, prefs({ marketingConsent: { granted: false } }));
    expect((await history(c.id)).data).toHaveLength(0);
  });

  it('answers 409 for a stale version in the body or in If-Match and keeps the newer data', async () => {
    const c = await createCustomer(t, a.accessToken);
    await put(c.id, prefs());
    expect((await put(c.id, prefs({ language: 'de', version: 1 }))).statusCode).toBe(200);
    const staleBody = await put(c.id, prefs({ language: 'fr', version: 1 }));
    expect(staleBody.statusCode).toBe(409);
    expect(staleBody.json().error).toMatchObject({ code: 'VERSION_CONFLICT', details: { expectedVersion: 1, currentVersion: 2 } });
    const staleHeader = await put(c.id, prefs({ language: 'fr' }), { 'if-match': '"1"' });
    expect(staleHeader.statusCode).toBe(409);
    const staleFirst = await put((await createCustomer(t, a.accessToken)).id, prefs({ version: 3 }));
    expect(staleFirst.statusCode).toBe(409);
    expect((await get(c.id)).language).toBe('de');
    expect((await put(c.id, prefs({ language: 'fr' }), { 'if-match': 'W/"2"' })).json()).toMatchObject({ language: 'fr', version: 3 });
  });

  it.each([
    ['timezone', { timezone: 'Mars/Olympus_Mons' }],
    ['timezone', { timezone: '+01:00' }],
    ['language', { language: 'english please' }],
    ['language', { language: 'en_US' }],
    ['quietHours.start', { quietHours: { start: '24:00', end: '07:00' } }],
    ['quietHours.end', { quietHours: { start: '22:00', end: '7:00' } }],
    ['preferredChannel', { preferredChannel: 'fax' }],
    ['channels.fax', { channels: { email: true, sms: false, call: false, push: false, fax: true } }],
    ['channels.sms', { channels: { email: true, call: false, push: false } }],
    ['channels', { channels: undefined }],
    ['doNotContact', { doNotContact: 'yes' }],
    ['marketingConsent.granted', { marketingConsent: { source: 'x' } }],
    ['marketingConsent.at', { marketingConsent: { granted: true, at: 'yesterday' } }],
    ['marketingConsent.at', { marketingConsent: { granted: true, at: '2999-01-01T00:00:00Z' } }],
    ['custom', { custom: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }],
    ['custom', { custom: { ['k'.repeat(65)]: 'v' } }],
    ['custom', { custom: { '': 'v' } }],
    ['custom', { custom: { size: 42 } }],
    ['custom', { custom: ['a'] }],
    ['version', { version: -1 }],
  ])('refuses a bad %s with 400 naming it', async (field, override) => {
    const c = await createCustomer(t, a.accessToken);
    const res = await put(c.id, prefs(override));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await get(c.id)).version).toBe(0);
  });

  it('accepts exactly 50 custom keys of 64 characters', async () => {
    const c = await createCustomer(t, a.accessToken);
    const custom = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${i}`.padStart(64, 'k'), 'v']));
    expect((await put(c.id, prefs({ custom }))).statusCode).toBe(200);
  });

  it('lets a viewer read preferences and history but not change them', async () => {
    const c = await createCustomer(t, a.accessToken);
    const viewer = await tokenForRole(t, a, 'viewer');
    expect((await t.request({ method: 'GET', url: url(c.id), token: viewer })).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: url(c.id, '/history'), token: viewer })).statusCode).toBe(200);
    expect((await t.request({ method: 'PUT', url: url(c.id), token: viewer, body: prefs() })).statusCode).toBe(403);
  });

  it('answers 404 for an unknown or deleted customer', async () => {
    const c = await createCustomer(t, a.accessToken);
    await t.request({ method: 'DELETE', url: `/api/v1/customers/${c.id}`, token: a.accessToken });
    for (const id of [c.id, '00000000-0000-4000-8000-000000000000']) {
      expect((await t.request({ method: 'GET', url: url(id), token: a.accessToken })).statusCode).toBe(404);
      expect((await put(id, prefs())).statusCode).toBe(404);
    }
  });
});
