import { randomBytes } from 'crypto';
import type { TestApp } from '../support/test-app';

export interface TenantSession {
  tenantId: string;
  slug: string;
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers a fresh tenant with its owner through the API. */
export async function registerTenant(t: TestApp, name = `Tenant ${randomBytes(3).toString('hex')}`): Promise<TenantSession> {
  const email = `owner-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'correct horse battery';
  const res = await t.request({ method: 'POST', url: '/api/v1/auth/register', body: { tenantName: name, email, password } });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  const b = res.json();
  return { tenantId: b.tenant.id, slug: b.tenant.slug, userId: b.user.id, email, password, accessToken: b.accessToken, refreshToken: b.refreshToken };
}

/** Creates a user with `role` in the session's tenant and returns its access token. */
export async function tokenForRole(t: TestApp, owner: TenantSession, role: 'admin' | 'agent' | 'viewer'): Promise<string> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'another good password';
  const created = await t.request({ method: 'POST', url: '/api/v1/users', token: owner.accessToken, body: { email, password, role } });
  if (created.statusCode !== 201) throw new Error(`user create failed: ${created.statusCode} ${created.body}`);
  const login = await t.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password } });
  return login.json().accessToken;
}
