import { randomBytes } from 'crypto';
import { signAccessToken } from '../../scripts/support/access-token';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('auth and users API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const refresh = (refreshToken: string) => t.request({ method: 'POST', url: '/api/v1/auth/refresh', body: { refreshToken } });
  const me = (token: string) => t.request({ method: 'GET', url: '/api/v1/auth/me', token });

  it('registers a tenant and its owner, logs in with the password, and shows who is logged in', async () => {
    const email = `Founder-${randomBytes(3).toString('hex')}@Example.com`;
    const reg = await t.request({ method: 'POST', url: '/api/v1/auth/register', body: { tenantName: 'Café Zürich', email, password: 'a long enough password' } });
    expect(reg.statusCode).toBe(201);
    expect(reg.json()).toMatchObject({ tenant: { name: 'Café Zürich', slug: 'cafe-zurich' }, user: { email: email.toLowerCase(), role: 'owner' } });
    const login = await t.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'a long enough password' } });
    expect(login.statusCode).toBe(200);
    const who = await me(login.json().accessToken);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ user: { id: reg.json().user.id, role: 'owner' }, tenant: { id: reg.json().tenant.id } });
    const wrong = await t.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'not the password' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses a second registration with the same email with 409', async () => {
    const s = await registerTenant(t);
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/register', body: { tenantName: 'Other', email: s.email, password: 'a long enough password' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('EMAIL_TAKEN');
  });

  it('rotates refresh tokens; a reused one is refused and revokes the whole family', async () => {
    const s = await registerTenant(t);
    const first = await refresh(s.refreshToken);
    expect(first.statusCode).toBe(200);
    const newer = first.json();
    expect(newer.refreshToken).not.toBe(s.refreshToken);
    expect((await me(newer.accessToken)).statusCode).toBe(200);

    const reused = await refresh(s.refreshToken);
    expect(reused.statusCode).toBe(401);
    expect(reused.json().error.code).toBe('INVALID_REFRESH_TOKEN');
    // The thief's (or the victim's) newer token dies with the family.
    expect((await refresh(newer.refreshToken)).statusCode).toBe(401);
  });

  it('keeps other logins alive when one family is revoked', async () => {
    const s = await registerTenant(t);
    const other = (await t.request({ method: 'POST', url: '/api/v1/auth/login', body: { email: s.email, password: s.password } })).json();
    await refresh(s.refreshToken);
    await refresh(s.refreshToken);
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });

  it('accepts a token again and again until it expires, then refuses it; a tampered copy never passes', async () => {
    const s = await registerTenant(t);
    const token = signAccessToken(t.config.jwt.secret, { sub: s.userId, tenantId: s.tenantId, role: 'viewer' }, 2);
    const me = (tok: string) => t.request({ method: 'GET', url: '/api/v1/customers?limit=1', token: tok });
    expect((await me(token)).statusCode).toBe(200);
    expect((await me(token)).statusCode).toBe(200);
    const [head, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: s.userId, tenantId: s.tenantId, role: 'owner', typ: 'access', exp: 9999999999 })).toString('base64url');
    expect((await me(`${head}.${forged}.${sig}`)).statusCode).toBe(401);
    const exp = (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp;
    await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
    const late = await me(token);
    expect(late.statusCode).toBe(401);
    expect(late.json().error.message).toMatch(/expired/);
  });

  it('refuses an unknown refresh token with 401', async () => {
    expect((await refresh(randomBytes(32).toString('base64url'))).statusCode).toBe(401);
  });

  describe('users', () => {
    let s: TenantSession;
    let admin: string;
    beforeAll(async () => {
      s = await registerTenant(t);
      admin = await tokenForRole(t, s, 'admin');
    });

    const users = (token: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', rest = '', body?: unknown) =>
      t.request({ method, url: `/api/v1/users${rest}`, token, body });

    it('lets an admin create, read, list, change and delete users', async () => {
      const email = `agent-${randomBytes(3).toString('hex')}@example.com`;
      const created = await users(admin, 'POST', '', { email, password: 'a long enough password', role: 'agent' });
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      expect(created.json()).toMatchObject({ email, role: 'agent' });
      expect(created.json().passwordHash).toBeUndefined();
      expect((await users(admin, 'GET', `/${id}`)).json().email).toBe(email);
      expect((await users(admin, 'GET')).json().data.map((u: { id: string }) => u.id)).toContain(id);
      const demoted = await users(admin, 'PATCH', `/${id}`, { role: 'viewer' });
      expect(demoted.json().role).toBe('viewer');
      const newPassword = await users(admin, 'PATCH', `/${id}`, { password: 'another new password' });
      expect(newPassword.statusCode).toBe(200);
      expect((await t.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'another new password' } })).statusCode).toBe(200);
      expect((await users(admin, 'DELETE', `/${id}`)).statusCode).toBe(204);
      expect((await users(admin, 'GET', `/${id}`)).statusCode).toBe(404);
      expect((await t.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password: 'another new password' } })).statusCode).toBe(401);
    });

    it('refuses a user email that is already taken with 409', async () => {
      const res = await users(admin, 'POST', '', { email: s.email, password: 'a long enough password', role: 'agent' });
      expect(res.statusCode).toBe(409);
    });

    it('does not let an agent or a viewer manage or even list users', async () => {
      for (const role of ['agent', 'viewer'] as const) {
        const token = await tokenForRole(t, s, role);
        expect((await users(token, 'GET')).statusCode).toBe(403);
        expect((await users(token, 'POST', '', { email: `x-${randomBytes(3).toString('hex')}@example.com`, password: 'a long enough password', role: 'viewer' })).statusCode).toBe(403);
        expect((await users(token, 'PATCH', `/${s.userId}`, { role: 'viewer' })).statusCode).toBe(403);
        expect((await users(token, 'DELETE', `/${s.userId}`)).statusCode).toBe(403);
      }
    });

    it('does not let an admin create, promote to or touch an owner', async () => {
      expect((await users(admin, 'POST', '', { email: `o-${randomBytes(3).toString('hex')}@example.com`, password: 'a long enough password', role: 'owner' })).statusCode).toBe(403);
      expect((await users(admin, 'PATCH', `/${s.userId}`, { role: 'agent' })).statusCode).toBe(403);
      expect((await users(admin, 'DELETE', `/${s.userId}`)).statusCode).toBe(403);
    });

    it('keeps the last owner: neither demoted nor deleted (409), until a second owner exists', async () => {
      const demote = await users(s.accessToken, 'PATCH', `/${s.userId}`, { role: 'admin' });
      expect(demote.statusCode).toBe(409);
      expect(demote.json().error.code).toBe('LAST_OWNER');
      expect((await users(s.accessToken, 'DELETE', `/${s.userId}`)).statusCode).toBe(409);
      expect((await me(s.accessToken)).json().user.role).toBe('owner');
      const second = await users(s.accessToken, 'POST', '', { email: `o2-${randomBytes(3).toString('hex')}@example.com`, password: 'a long enough password', role: 'owner' });
      expect(second.statusCode).toBe(201);
      expect((await users(s.accessToken, 'PATCH', `/${s.userId}`, { role: 'admin' })).statusCode).toBe(200);
    });
  });
});
