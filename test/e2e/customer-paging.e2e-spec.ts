import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

// Customers created and changed within the same second are the normal case for imports; keyset pages on
// created_at / updated_at must neither repeat nor skip them on any driver.
describe('customer pages by timestamp', () => {
  let t: TestApp;
  let s: TenantSession;
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    ids = [];
    for (let i = 0; i < 7; i++) ids.push((await createCustomer(t, s.accessToken, { lastSeenAt: '2026-11-01T10:00:00.000Z' })).id);
    for (const id of ids.slice(0, 5)) await t.request({ method: 'PATCH', url: `/api/v1/customers/${id}`, token: s.accessToken, body: { firstName: 'Changed' } });
  });
  afterAll(() => t.close());

  it.each([
    ['createdAt', 'desc'],
    ['createdAt', 'asc'],
    ['updatedAt', 'desc'],
    ['updatedAt', 'asc'],
    ['lastSeenAt', 'desc'],
  ])('by %s %s: every customer exactly once', async (sortBy, sortOrder) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const url: string = `/api/v1/customers?limit=2&sortBy=${sortBy}&sortOrder=${sortOrder}${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.request({ method: 'GET', url, token: s.accessToken })).json();
      seen.push(...page.data.map((x: { id: string }) => x.id));
      cursor = page.page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(ids.length);
    expect([...seen].sort()).toEqual([...ids].sort());
  });

  it('lists newest first by default', async () => {
    const rows: Array<{ id: string; createdAt: string }> = (await t.request({ method: 'GET', url: '/api/v1/customers', token: s.accessToken })).json().data;
    const newestFirst = [...rows].sort((x, y) => y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id));
    expect(rows.map((x) => x.id)).toEqual(newestFirst.map((x) => x.id));
    expect(rows[0].createdAt > rows[rows.length - 1].createdAt).toBe(true);
    expect(rows.map((x) => x.id).sort()).toEqual([...ids].sort());
  });
});
