import { randomUUID } from 'crypto';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

const DAY_MS = 86_400_000;
const today = () => {
  const n = new Date();
  return Date.UTC(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate());
};
/** An instant `daysAgo` UTC days before today at hh:mm UTC. */
const at = (daysAgo: number, hh: number, mm = 0) => new Date(today() - daysAgo * DAY_MS + (hh * 60 + mm) * 60_000);
const isoWeekdayRow = (d: Date) => (d.getUTCDay() + 6) % 7;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

describe('activity analytics: GET /analytics/usage and /analytics/login-heatmap', () => {
  let t: TestApp;
  let s: TenantSession;
  let other: TenantSession;
  let a: string;
  let b: string;
  const get = (url: string, token = s.accessToken) => t.request({ method: 'GET', url: `/api/v1/analytics${url}`, token });
  const ingest = async (token: string, events: unknown[]) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/events', token, body: { events } });
    expect(res.json().accepted).toBe(events.length);
  };
  const usage = (customer: string, apiCalls: number, when: Date) => ({ id: randomUUID(), type: 'usage', customer_id: customer, occurred_at: when.toISOString(), data: { apiCalls } });
  const login = (customer: string, when: Date) => ({ id: randomUUID(), type: 'login', customer_id: customer, occurred_at: when.toISOString(), data: {} });

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    other = await registerTenant(t);
    a = (await createCustomer(t, s.accessToken)).id;
    b = (await createCustomer(t, s.accessToken)).id;
    const theirs = (await createCustomer(t, other.accessToken)).id;
    await ingest(s.accessToken, [
      usage(a, 100, at(1, 10)), usage(a, 50, at(1, 23, 59)), usage(b, 7, at(1, 0, 1)), usage(a, 30, at(5, 12)), usage(a, 999, at(40, 12)),
      login(a, at(2, 9, 30)), login(a, at(2, 9, 45)), login(b, at(3, 22, 5)), login(a, at(60, 9)),
    ]);
    // Another tenant's activity on the same days never shows.
    await ingest(other.accessToken, [usage(theirs, 5000, at(1, 10)), login(theirs, at(2, 9, 30))]);
  });
  afterAll(() => t.close());

  it('sums API calls per UTC day over the window, oldest first, today last, zero-filled', async () => {
    const res = await get('/usage?days=7');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ days: 7, customerId: null, totalApiCalls: 187 });
    expect(body.data).toHaveLength(7);
    expect(body.data[6].day).toBe(dayOf(new Date(today())));
    expect(body.data[5]).toEqual({ day: dayOf(at(1, 0)), apiCalls: 157 });
    expect(body.data[1]).toEqual({ day: dayOf(at(5, 0)), apiCalls: 30 });
    expect(body.data.filter((d: { apiCalls: number }) => d.apiCalls === 0)).toHaveLength(5);
  });

  it('defaults to 30 days and narrows to one customer', async () => {
    expect((await get('/usage')).json()).toMatchObject({ days: 30, totalApiCalls: 187 });
    const one = (await get(`/usage?days=2&customerId=${b}`)).json();
    expect(one).toMatchObject({ days: 2, customerId: b, totalApiCalls: 7 });
    expect((await get(`/usage?days=90&customerId=${a}`)).json().totalApiCalls).toBe(100 + 50 + 30 + 999);
  });

  it('counts logins per ISO weekday (Monday first) and UTC hour', async () => {
    const res = await get('/login-heatmap?days=7');
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m).toMatchObject({ days: 7, customerId: null, timezone: 'UTC', weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], total: 3, max: 2 });
    expect(m.cells).toHaveLength(7);
    expect(m.cells.every((row: number[]) => row.length === 24)).toBe(true);
    expect(m.cells[isoWeekdayRow(at(2, 9))][9]).toBe(2);
    expect(m.cells[isoWeekdayRow(at(3, 22))][22]).toBe(1);
    const forB = (await get(`/login-heatmap?days=7&customerId=${b}`)).json();
    expect(forB).toMatchObject({ customerId: b, total: 1 });
    expect((await get('/login-heatmap?days=365')).json().total).toBe(4);
  });

  it('shows another tenant only its own activity, and its customers as not found', async () => {
    expect((await get('/usage?days=7', other.accessToken)).json().totalApiCalls).toBe(5000);
    expect((await get('/login-heatmap?days=7', other.accessToken)).json().total).toBe(1);
    const res = await get(`/usage?customerId=${a}`, other.accessToken);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await get(`/login-heatmap?customerId=${randomUUID()}`)).statusCode).toBe(404);
  });

  it.each([
    ['/usage?days=0', 'days'], ['/usage?days=366', 'days'], ['/usage?days=abc', 'days'], ['/usage?customerId=nope', 'customerId'],
    ['/login-heatmap?days=-1', 'days'], ['/login-heatmap?days=1000', 'days'], ['/login-heatmap?customerId=123', 'customerId'], ['/usage?foo=1', 'foo'],
  ])('rejects %s with 400 naming %s', async (url, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('needs a token', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/analytics/usage' })).statusCode).toBe(401);
  });
});
