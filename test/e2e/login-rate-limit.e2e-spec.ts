import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('login rate limit', () => {
  let t: TestApp;
  let s: TenantSession;

  beforeAll(async () => {
    t = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: '3' });
    s = await registerTenant(t);
  });
  afterAll(() => t.close());

  const login = (password: string) => t.request({ method: 'POST', url: '/api/v1/auth/login', body: { email: s.email, password } });

  it('answers the 4th login in a minute with 429, Retry-After and X-RateLimit-* headers, in the error envelope', async () => {
    const allowed = [await login('wrong password 1'), await login('wrong password 2'), await login(s.password)];
    expect(allowed.map((r) => r.statusCode)).toEqual([401, 401, 200]);
    expect(allowed.map((r) => r.headers['x-ratelimit-remaining-login'])).toEqual(['2', '1', '0']);

    const limited = await login(s.password);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.headers['x-ratelimit-limit']).toBe('3');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(limited.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
  });

  it('does not limit authenticated API calls by the login limit', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await t.request({ method: 'GET', url: '/api/v1/auth/me', token: s.accessToken })).statusCode).toBe(200);
    }
  });
});
