import { JwtService } from '@nestjs/jwt';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

const fieldsOf = (res: { json(): any }) => (res.json().error.details as Array<{ field: string }>).map((d) => d.field);

describe('bad input is refused with the right status, in the error envelope', () => {
  let t: TestApp;
  let a: TenantSession;
  let customer: Record<string, any>;

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerTenant(t);
    customer = await createCustomer(t, a.accessToken);
  });
  afterAll(() => t.close());

  const send = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, token = a.accessToken, headers?: Record<string, string>) =>
    t.request({ method, url, token, body, headers });

  const expectEnvelope = (res: { statusCode: number; json(): any; headers: Record<string, unknown> }, status: number, code?: string) => {
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const error = res.json().error;
    expect(error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
    if (code) expect(error.code).toBe(code);
  };

  describe('400', () => {
    it('names an unknown body field', async () => {
      const res = await send('POST', '/api/v1/customers', { email: 'ok@example.com', favouriteColour: 'blue' });
      expectEnvelope(res, 400, 'VALIDATION_FAILED');
      expect(res.json().error.details).toEqual([{ field: 'favouriteColour', message: 'is not an allowed field' }]);
    });

    it('names an unknown query parameter', async () => {
      const res = await send('GET', '/api/v1/customers?colour=blue');
      expectEnvelope(res, 400);
      expect(fieldsOf(res)).toEqual(['colour']);
    });

    it.each([
      ['email', { email: 'not-an-email' }],
      ['email', { email: 'a@b' }],
      ['phone', { phone: '12345' }],
      ['phone', { phone: '+1 555' }],
      ['tags', { tags: 'vip' }],
      ['attributes', { attributes: [1, 2] }],
      ['lastSeenAt', { lastSeenAt: 'last tuesday' }],
    ])('refuses an invalid customer %s', async (field, body) => {
      const res = await send('POST', '/api/v1/customers', body);
      expectEnvelope(res, 400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('refuses an invalid country on an address', async () => {
      for (const country of ['XX', 'USA', 'u$']) {
        const res = await send('POST', `/api/v1/customers/${customer.id}/addresses`, { type: 'home', line1: '1 Main St', city: 'Springfield', country });
        expectEnvelope(res, 400);
        expect(fieldsOf(res)).toContain('country');
      }
    });

    it('refuses an invalid time zone in preferences', async () => {
      const res = await send('PUT', `/api/v1/customers/${customer.id}/preferences`, {
        channels: { email: true, sms: false, call: false, push: false },
        doNotContact: false,
        marketingConsent: { granted: false },
        timezone: 'Europe/Atlantis',
      });
      expectEnvelope(res, 400);
      expect(fieldsOf(res)).toEqual(['timezone']);
    });

    it.each([
      ['GET', '/api/v1/customers/not-a-uuid'],
      ['PATCH', '/api/v1/customers/123'],
      ['DELETE', "/api/v1/customers/1'%20OR%20'1'='1"],
      ['POST', '/api/v1/customers/zzz/restore'],
      ['GET', '/api/v1/customers/zzz/notes'],
      ['GET', '/api/v1/customers/zzz/addresses'],
      ['GET', '/api/v1/customers/zzz/preferences'],
      ['GET', '/api/v1/users/zzz'],
    ] as const)('refuses a malformed id in the path: %s %s', async (method, url) => {
      expectEnvelope(await send(method, url, method === 'PATCH' ? {} : undefined), 400);
    });

    it('refuses a malformed note or address id in the path', async () => {
      expectEnvelope(await send('PATCH', `/api/v1/customers/${customer.id}/notes/nope`, { pinned: true }), 400);
      expectEnvelope(await send('DELETE', `/api/v1/customers/${customer.id}/addresses/nope`), 400);
    });

    it.each(['/api/v1/customers', '/api/v1/customers/{id}/notes', '/api/v1/customers/{id}/preferences/history'])(
      'refuses limit=1000, limit=0 and limit=abc on %s',
      async (path) => {
        for (const limit of ['1000', '0', 'abc', '-5', '2.5']) {
          const res = await send('GET', `${path.replace('{id}', customer.id)}?limit=${limit}`);
          expectEnvelope(res, 400);
          expect([...new Set(fieldsOf(res))]).toEqual(['limit']);
        }
      },
    );

    it('refuses a tampered cursor', async () => {
      const res = await send('GET', `/api/v1/customers/${customer.id}/notes?cursor=bm90LWEtY3Vyc29y`);
      expectEnvelope(res, 400);
      expect(fieldsOf(res)).toEqual(['cursor']);
    });

    it('refuses malformed JSON', async () => {
      const res = await send('POST', '/api/v1/customers', '{"email": "x@example.com",', a.accessToken, { 'content-type': 'application/json' });
      expectEnvelope(res, 400);
      expect(res.json().error.message).toMatch(/JSON/);
    });

    it('refuses a JSON body with __proto__', async () => {
      const res = await send('POST', '/api/v1/customers', '{"__proto__": {"admin": true}, "email": "p@example.com"}', a.accessToken, { 'content-type': 'application/json' });
      expectEnvelope(res, 400);
    });

    it.each([
      ['attributes', '/api/v1/customers/{c}'],
      ['tags', '/api/v1/customers/{c}'],
      ['type', '/api/v1/customers/{c}'],
      ['status', '/api/v1/customers/{c}'],
      ['city', '/api/v1/customers/{c}/addresses/{a}'],
      ['isDefault', '/api/v1/customers/{c}/addresses/{a}'],
      ['pinned', '/api/v1/customers/{c}/notes/{n}'],
      ['body', '/api/v1/customers/{c}/notes/{n}'],
    ])('refuses null for the required field %s on PATCH', async (field, path) => {
      const c = await createCustomer(t, a.accessToken);
      const address = (await send('POST', `/api/v1/customers/${c.id}/addresses`, { type: 'home', line1: '1 Main St', city: 'Springfield', country: 'US' })).json();
      const note = (await send('POST', `/api/v1/customers/${c.id}/notes`, { type: 'personal', body: 'x' })).json();
      const url = path.replace('{c}', c.id).replace('{a}', address.id).replace('{n}', note.id);
      const res = await send('PATCH', url, { [field]: null });
      expectEnvelope(res, 400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('refuses a string that is not valid Unicode where a validator cannot read it', async () => {
      const res = await send('POST', '/api/v1/customers', '{"email":"\\ud800@example.com"}', a.accessToken, { 'content-type': 'application/json' });
      expectEnvelope(res, 400);
    });

    it('renders router failures (undecodable path, over-long id) in the envelope', async () => {
      expectEnvelope(await send('GET', '/api/v1/customers/%E0%A4%A'), 400);
      expectEnvelope(await send('GET', `/api/v1/customers/${'a'.repeat(600)}`), 414);
    });

    it('refuses a malformed If-Match', async () => {
      const res = await send('PATCH', `/api/v1/customers/${customer.id}`, { firstName: 'X' }, a.accessToken, { 'if-match': 'banana' });
      expectEnvelope(res, 400);
      expect(fieldsOf(res)).toEqual(['If-Match']);
    });
  });

  it('answers 413 for a body over 1 MB', async () => {
    const before = (await send('GET', '/api/v1/customers/stats')).json().total;
    const res = await send('POST', '/api/v1/customers', { email: 'big@example.com', attributes: { blob: 'x'.repeat(1024 * 1024 + 10) } });
    expectEnvelope(res, 413, 'PAYLOAD_TOO_LARGE');
    expect((await send('GET', '/api/v1/customers/stats')).json().total).toBe(before);
  });

  describe('401', () => {
    const claims = () => ({ sub: a.userId, tenantId: a.tenantId, role: 'owner', typ: 'access' });
    const customersWith = (token: string | undefined) => t.request({ method: 'GET', url: '/api/v1/customers', token });

    it('without a token', async () => {
      expectEnvelope(await customersWith(undefined), 401, 'UNAUTHORIZED');
    });

    it('with an expired token', async () => {
      const expired = t.app.get(JwtService).sign(claims(), { expiresIn: -1 });
      const res = await customersWith(expired);
      expectEnvelope(res, 401, 'UNAUTHORIZED');
      expect(res.json().error.message).toMatch(/expired/i);
    });

    it('with a token signed by another key', async () => {
      const forged = new JwtService({ secret: 'not-the-server-secret-not-the-server-secret' }).sign(claims());
      expectEnvelope(await customersWith(forged), 401);
    });

    it('with an unsigned (alg none) token or a payload edited after signing', async () => {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), exp: Math.floor(Date.now() / 1000) + 600 })}.`;
      expectEnvelope(await customersWith(unsigned), 401);
      const viewer = await tokenForRole(t, a, 'viewer');
      const [header, payload, signature] = viewer.split('.');
      const promoted = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'owner' };
      expectEnvelope(await customersWith(`${header}.${b64(promoted)}.${signature}`), 401);
    });

    it('with a token that is not an access token, or garbage', async () => {
      const refreshTyped = t.app.get(JwtService).sign({ ...claims(), typ: 'refresh' });
      expectEnvelope(await customersWith(refreshTyped), 401);
      expectEnvelope(await customersWith('definitely.not.a-jwt'), 401);
      expectEnvelope(await t.request({ method: 'GET', url: '/api/v1/customers', headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), 401);
    });
  });

  describe('403 for a viewer writing', () => {
    let viewer: string;
    beforeAll(async () => {
      viewer = await tokenForRole(t, a, 'viewer');
    });

    it.each([
      ['POST', '/api/v1/customers', { email: 'viewer-made@example.com' }],
      ['PATCH', '/api/v1/customers/{id}', { firstName: 'Viewer' }],
      ['DELETE', '/api/v1/customers/{id}', undefined],
      ['POST', '/api/v1/customers/{id}/restore', undefined],
      ['POST', '/api/v1/customers/{id}/notes', { type: 'personal', body: 'viewer note' }],
      ['POST', '/api/v1/customers/{id}/addresses', { type: 'home', line1: '1 Main St', city: 'Springfield', country: 'US' }],
      ['PUT', '/api/v1/customers/{id}/preferences', { channels: { email: true, sms: false, call: false, push: false }, doNotContact: true, marketingConsent: { granted: false } }],
    ] as const)('%s %s', async (method, path, body) => {
      const res = await send(method, path.replace('{id}', customer.id), body, viewer);
      expectEnvelope(res, 403, 'FORBIDDEN');
      expect(res.json().error.details).toEqual({ required: 'agent' });
    });

    it('left the customer untouched', async () => {
      const after = (await send('GET', `/api/v1/customers/${customer.id}`)).json();
      expect(after).toMatchObject({ version: customer.version, firstName: customer.firstName, deletedAt: null });
      expect((await send('GET', `/api/v1/customers/${customer.id}/notes`)).json().data).toHaveLength(0);
      expect((await send('GET', `/api/v1/customers/${customer.id}/addresses`)).json().data).toHaveLength(0);
      expect((await send('GET', `/api/v1/customers/${customer.id}/preferences`)).json().version).toBe(0);
    });
  });

  describe('409', () => {
    it('for a duplicate email, whatever its case', async () => {
      const c = await createCustomer(t, a.accessToken);
      const res = await send('POST', '/api/v1/customers', { email: c.email.toUpperCase() });
      expectEnvelope(res, 409, 'CUSTOMER_EXISTS');
      expect(res.json().error.details).toMatchObject({ field: 'email', existingId: c.id });
    });

    it('for a duplicate email on update', async () => {
      const c1 = await createCustomer(t, a.accessToken);
      const c2 = await createCustomer(t, a.accessToken);
      expectEnvelope(await send('PATCH', `/api/v1/customers/${c2.id}`, { email: c1.email }), 409, 'CUSTOMER_EXISTS');
    });

    it('for a stale version, in the body or in If-Match', async () => {
      const c = await createCustomer(t, a.accessToken);
      await send('PATCH', `/api/v1/customers/${c.id}`, { firstName: 'Second' });
      expectEnvelope(await send('PATCH', `/api/v1/customers/${c.id}`, { firstName: 'Stale', version: 1 }), 409, 'VERSION_CONFLICT');
      expectEnvelope(await send('PATCH', `/api/v1/customers/${c.id}`, { firstName: 'Stale' }, a.accessToken, { 'if-match': '"1"' }), 409, 'VERSION_CONFLICT');
      expect((await send('GET', `/api/v1/customers/${c.id}`)).json().firstName).toBe('Second');
    });
  });
});
