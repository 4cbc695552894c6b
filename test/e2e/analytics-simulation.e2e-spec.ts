import { JobQueue } from '../../src/infra/queue';
import { PurchasesService } from '../../src/modules/purchases';
import { ingest, ticket } from '../factories/activity.factory';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

const DAY_MS = 86_400_000;

describe('simulation and analytics API', () => {
  let t: TestApp;
  let s: TenantSession;
  let realCustomer: string;

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    realCustomer = (await createCustomer(t, s.accessToken)).id;
  });
  afterAll(() => t.close());

  const api = (method: 'GET' | 'POST', url: string, body?: unknown, token = s.accessToken) => t.request({ method, url: `/api/v1${url}`, token, body });
  const drain = () => t.app.get(JobQueue).drain(60_000);

  it('simulates a pulse as a job, leaving daily history and trends over the simulated days', async () => {
    const res = await api('POST', '/simulate/pulse', { customers: 40, days: 10, seed: 7 });
    expect(res.statusCode).toBe(202);
    await drain();
    const job = (await api('GET', `/jobs/${res.json().jobId}`)).json();
    expect(job).toMatchObject({ state: 'completed', result: { customers: 40, createdCustomers: 40, days: 10, historyDays: 9 } });
    expect(job.result.events).toBeGreaterThan(40 * 10);

    const trends = (await api('GET', '/analytics/health-trends?days=10')).json();
    expect(trends.data).toHaveLength(10);
    expect(trends.data.every((p: { customers: number }) => p.customers >= 40)).toBe(true);
    const last = trends.data[9];
    expect(last.bands.healthy + last.bands.at_risk + last.bands.critical).toBe(last.customers);
    // The simulation's mix spreads customers over more than one band.
    expect(Object.values(last.bands).filter((v) => (v as number) > 0).length).toBeGreaterThan(1);

    const overview = (await api('GET', '/analytics/overview')).json();
    expect(overview).toMatchObject({ customers: 41, currency: 'USD' });
    expect(overview.active30d).toBeGreaterThanOrEqual(40);
    expect(overview.averageHealth).toBeGreaterThan(0);

    const simulated = (await api('GET', '/customers?q=sim-&limit=1')).json().data[0];
    const history = (await api('GET', `/customers/${simulated.id}/health/history`)).json();
    expect(history.data).toHaveLength(10);
    const health = (await api('GET', `/customers/${simulated.id}/health`)).json();
    expect(health.change7d).toBe(health.score - history.data[2].score);
  });

  it('simulates an outage: critical tickets for a share of simulated customers, lowering their health', async () => {
    const before = (await api('GET', '/analytics/overview')).json();
    const res = await api('POST', '/simulate/outage', { share: 0.5, severity: 'critical', seed: 3 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ customers: 20, tickets: 20, severity: 'critical' });
    await drain();
    const after = (await api('GET', '/analytics/overview')).json();
    expect(after.openTickets).toBe(before.openTickets + 20);
    expect(after.averageHealth).toBeLessThan(before.averageHealth);
    const incidents = (await api('GET', '/analytics/incidents?days=1&limit=5')).json();
    expect(incidents.bySeverity.critical).toBeGreaterThanOrEqual(20);
    expect(incidents.topCustomers).toHaveLength(5);
    const churn = (await api('GET', '/analytics/churn-risk?limit=100')).json();
    const withTickets = churn.data.filter((c: { reasons: Array<{ code: string }> }) => c.reasons.some((r) => r.code === 'open_critical_tickets'));
    expect(withTickets.length).toBeGreaterThanOrEqual(20);
  });

  it('ranks revenue at risk and an overdue customer, and buckets lifetime value', async () => {
    const purchases = t.app.get(PurchasesService);
    const c = (await createCustomer(t, s.accessToken)).id as string;
    // Every 10 days, then silence for 60 days: overdue against its own rhythm.
    for (const [i, daysAgo] of [90, 80, 70, 60].entries()) {
      await purchases.recordPurchase({ tenantId: s.tenantId, customerId: c, orderId: `ord-${c}-${i}`, amount: 300, currency: 'USD', occurredAt: new Date(Date.now() - daysAgo * DAY_MS) });
    }
    await ingest(t, s.tenantId, [ticket(c, 'critical', 0)]);
    await drain();
    const risk = (await api('GET', '/analytics/revenue-risk?limit=3')).json();
    expect(risk.critical.revenue12m).toBeGreaterThanOrEqual(1200);
    expect(risk.top[0]).toMatchObject({ customerId: c, revenue12m: 1200, band: 'critical', predictedClv: null });
    expect(risk.predictedClvAvailable).toBe(false);
    const churn = (await api('GET', '/analytics/churn-risk?limit=100')).json();
    const mine = churn.data.find((x: { customerId: string }) => x.customerId === c);
    expect(mine.reasons.map((r: { code: string }) => r.code)).toEqual(['low_health', 'purchase_overdue', 'open_critical_tickets']);
    expect(mine.reasons[1].data).toEqual({ daysSinceLastPurchase: 60, usualIntervalDays: 10 });
    const clv = (await api('GET', '/analytics/clv?edges=100,1000')).json();
    expect(clv).toMatchObject({ basis: 'historical', currency: 'USD', customers: 42 });
    expect(clv.buckets).toEqual([{ from: 0, to: 100, customers: 41 }, { from: 100, to: 1000, customers: 0 }, { from: 1000, to: null, customers: 1 }]);
    const cohorts = (await api('GET', '/analytics/cohorts?by=month&months=2')).json();
    const thisMonth = cohorts.data[cohorts.data.length - 1];
    expect(thisMonth.customers).toBe(42);
    expect((await api('GET', '/analytics/segments')).json()).toEqual({ data: [] });
  });

  it('refuses bad analytics and simulation input with 400 naming the field', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['GET', '/analytics/health-trends?days=366', undefined, 'days'],
      ['GET', '/analytics/incidents?days=0', undefined, 'days'],
      ['GET', '/analytics/cohorts?by=week', undefined, 'by'],
      ['GET', '/analytics/clv?edges=10,abc', undefined, 'edges'],
      ['POST', '/simulate/pulse', { customers: 10, days: 366 }, 'days'],
      ['POST', '/simulate/outage', { share: 1.5 }, 'share'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await api(method as 'GET', url, body);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it('lets only admins simulate', async () => {
    const agent = await tokenForRole(t, s, 'agent');
    expect((await api('POST', '/simulate/outage', { share: 0.1 }, agent)).statusCode).toBe(403);
  });

  it('resets only simulated data', async () => {
    const res = await api('POST', '/simulate/reset');
    expect(res.json()).toEqual({ customersRemoved: 40 });
    await drain();
    const overview = (await api('GET', '/analytics/overview')).json();
    expect(overview.customers).toBe(2);
    expect((await api('GET', `/customers/${realCustomer}`)).statusCode).toBe(200);
  });
});

describe('simulation switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ SIMULATION_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('answers 403 SIMULATION_DISABLED', async () => {
    const s = await registerTenant(t);
    const res = await t.request({ method: 'POST', url: '/api/v1/simulate/reset', token: s.accessToken });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('SIMULATION_DISABLED');
  });
});
