import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'crypto';
import { DataSource, In } from 'typeorm';
import { JobQueue } from '../../src/infra/queue';
import { computeHealth, DEFAULT_HEALTH_MODEL, HEALTH_EVENTS, HealthBandChangedEvent, HealthRecomputeService, HealthScoreService } from '../../src/modules/health-score';
import { HealthSummaryRepository } from '../../src/modules/health-score/health-summary.repository';
import { ingest, logins, ticket, usage } from '../factories/activity.factory';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** The stored current score, as the bulk path writes it. */
interface StoredHealth {
  customerId: string;
  tenantId: string;
  score: number;
  band: string;
  apiCalls: number | string;
  computedAt: Date | string;
}

describe('HealthScoreService (real database)', () => {
  let t: TestApp;
  let s: TenantSession;
  let health: HealthScoreService;
  let recompute: HealthRecomputeService;
  let jobs: JobQueue;

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    health = t.app.get(HealthScoreService);
    recompute = t.app.get(HealthRecomputeService);
    jobs = t.app.get(JobQueue);
  });
  afterAll(() => t.close());

  const newCustomer = async () => (await createCustomer(t, s.accessToken)).id as string;

  it('scores every customer in SQL exactly as the formula does, at caps and band boundaries', async () => {
    // [apiCalls, logins, tickets]: caps (over target), zero activity, exact 70 / 40 boundaries and x.5 ties.
    const cases: Array<[number, number, Array<'low' | 'medium' | 'high' | 'critical'>]> = [
      [9000, 45, []], [0, 0, []], [5000, 30, ['critical', 'critical', 'critical', 'critical', 'critical']],
      [2500, 15, ['low']], [3750, 30, ['critical']], [1250, 10, ['high', 'medium']], [5000, 0, []], [0, 30, []],
      [2813, 17, ['medium']], [0, 0, ['critical', 'critical', 'critical', 'critical']], [1, 1, ['low', 'low', 'low']],
      // 39.5 -> 40 (at_risk), 69.5 -> 70 (healthy), exactly 40.
      [0, 17, ['critical']], [2125, 30, ['critical']], [1250, 0, []],
    ];
    const ids: string[] = [];
    for (const [apiCalls, n, sev] of cases) {
      const id = await newCustomer();
      ids.push(id);
      await ingest(t, s.tenantId, [usage(id, apiCalls, 2), ...logins(id, n, 3), ...sev.map((v) => ticket(id, v, 4))]);
    }
    await jobs.drain();
    // The same model as a new version: every stored score naming version 2 was written by the bulk path.
    const put = await t.request({ method: 'PUT', url: '/api/v1/health-score/config', token: s.accessToken, body: DEFAULT_HEALTH_MODEL });
    expect(put.json()).toMatchObject({ version: 2 });
    const r = await recompute.recomputeTenant(s.tenantId);
    expect(r).toMatchObject({ customers: cases.length, configVersion: 2 });
    for (const [i, [apiCalls, n, sev]] of cases.entries()) {
      const penalty = sev.reduce((a, v) => a + DEFAULT_HEALTH_MODEL.penalties[v], 0);
      const expected = computeHealth({ apiCalls, logins: n, ticketPenalty: penalty }, DEFAULT_HEALTH_MODEL);
      const got = await health.getHealth(s.tenantId, ids[i]);
      expect({ case: i, score: got.score, band: got.band }).toEqual({ case: i, score: expected.score, band: expected.band });
      expect(got.components.incidents.ticketCount).toBe(sev.length);
      expect(got.configVersion).toBe(2);
    }
  });

  it('bulk-recomputes in chunks: stale and missing rows rewritten, band changes reported across chunk boundaries, unchanged rows left alone', async () => {
    const other = await registerTenant(t);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createCustomer(t, other.accessToken)).id as string);
    await jobs.drain();
    const repo = t.app.get(DataSource).getRepository<StoredHealth>('CustomerHealth');
    const stored = async () => new Map((await repo.find({ where: { tenantId: other.tenantId } })).map((r) => [r.customerId, r]));
    const before = await stored();
    expect(before.size).toBe(7);
    // Chunks go in id order, two customers each: the stale rows sit in the first, second and last chunk.
    const sorted = [...ids].sort();
    const stale = [sorted[0], sorted[3], sorted[6]];
    await repo.update({ customerId: In(stale) }, { score: 90, band: 'healthy', apiCalls: 999 });
    await repo.delete({ customerId: sorted[4] });
    const seen: HealthBandChangedEvent[] = [];
    const listener = (e: HealthBandChangedEvent) => seen.push(e);
    t.app.get(EventEmitter2).on(HEALTH_EVENTS.bandChanged, listener);
    try {
      const r = await recompute.recomputeTenant(other.tenantId, { chunkSize: 2 });
      expect(r).toMatchObject({ customers: 7, bandChanges: 3 });
    } finally {
      t.app.get(EventEmitter2).off(HEALTH_EVENTS.bandChanged, listener);
    }
    expect(seen.map((e) => `${e.customerId}:${e.from}->${e.to}`).sort()).toEqual(stale.map((id) => `${id}:healthy->critical`).sort());
    const after = await stored();
    expect(after.size).toBe(7);
    for (const id of ids) {
      const [b, a] = [before.get(id)!, after.get(id)!];
      expect({ id, score: a.score, band: a.band, apiCalls: Number(a.apiCalls) }).toEqual({ id, score: b.score, band: b.band, apiCalls: 0 });
      const rewritten = stale.includes(id) || id === sorted[4];
      expect({ id, rewritten: new Date(a.computedAt).getTime() !== new Date(b.computedAt).getTime() }).toEqual({ id, rewritten });
    }
  });

  it('recomputes the customers of an ingested batch in one job as the formula does, keeping the day totals exact', async () => {
    const other = await registerTenant(t);
    const cases: Array<[number, number, Array<'low' | 'medium' | 'high' | 'critical'>]> = [[9000, 45, []], [2500, 15, ['low']], [0, 0, ['critical']], [1250, 10, ['high', 'medium']], [0, 30, []]];
    const ids: string[] = [];
    for (let i = 0; i < cases.length; i++) ids.push((await createCustomer(t, other.accessToken)).id as string);
    await jobs.drain();
    const summaries = t.app.get(HealthSummaryRepository);
    const totals = async () => {
      const r = (await summaries.latest(other.tenantId))!;
      return { customers: r.customers, scoreSum: Number(r.scoreSum), healthy: r.healthy, atRisk: r.atRisk, critical: r.critical, active: r.active };
    };
    expect(await totals()).toMatchObject({ customers: 5, critical: 5, active: 0 });
    // One ingest call: its listener queues one recompute-customers job holding all five customers.
    await ingest(t, other.tenantId, cases.flatMap(([apiCalls, n, sev], i) => [usage(ids[i], apiCalls, 2), ...logins(ids[i], n, 3), ...sev.map((v) => ticket(ids[i], v, 4))]));
    await jobs.drain();
    for (const [i, [apiCalls, n, sev]] of cases.entries()) {
      const expected = computeHealth({ apiCalls, logins: n, ticketPenalty: sev.reduce((a, v) => a + DEFAULT_HEALTH_MODEL.penalties[v], 0) }, DEFAULT_HEALTH_MODEL);
      const got = await health.getHealth(other.tenantId, ids[i]);
      expect({ case: i, score: got.score, band: got.band }).toEqual({ case: i, score: expected.score, band: expected.band });
    }
    // The job added the customers' summed changes to the day's totals: a recount from the current scores agrees.
    const incremental = await totals();
    expect(incremental.active).toBe(5);
    await recompute.refreshSummary(other.tenantId);
    expect(await totals()).toEqual(incremental);
  });

  it("removes a hard-deleted customer's score rows, and the scheduled recompute sweeps rows whose customer is gone", async () => {
    const other = await registerTenant(t);
    const keep = (await createCustomer(t, other.accessToken)).id as string;
    const gone = (await createCustomer(t, other.accessToken)).id as string;
    await jobs.drain();
    const ds = t.app.get(DataSource);
    const current = ds.getRepository<StoredHealth>('CustomerHealth');
    const history = ds.getRepository<{ customerId: string; day: string; tenantId: string; score: number; band: string; configVersion: number }>('CustomerHealthHistory');
    expect(await current.countBy({ tenantId: other.tenantId })).toBe(2);
    expect(await history.countBy({ customerId: gone })).toBe(1);

    const del = await t.request({ method: 'DELETE', url: `/api/v1/customers/${gone}?hard=true`, token: other.accessToken });
    expect(del.statusCode).toBe(204);
    // The customer.deleted listener runs after the response; wait for it.
    for (let i = 0; i < 100 && (await current.countBy({ customerId: gone })) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await jobs.drain();
    expect((await current.findBy({ tenantId: other.tenantId })).map((r) => r.customerId)).toEqual([keep]);
    expect(await history.countBy({ customerId: gone })).toBe(0);

    // Rows of a customer whose delete event never arrived (there is no foreign key to refuse or cascade them).
    const ghost = randomUUID();
    const template = (await current.findOneByOrFail({ customerId: keep })) as unknown as Record<string, unknown>;
    await current.insert({ ...template, customerId: ghost } as never);
    await history.insert({ customerId: ghost, day: '2026-01-01', tenantId: other.tenantId, score: 10, band: 'critical', configVersion: 1 });
    await recompute.recomputeAll();
    expect(await current.countBy({ customerId: ghost })).toBe(0);
    expect(await history.countBy({ customerId: ghost })).toBe(0);
    expect(await current.countBy({ customerId: keep })).toBe(1);
  });

  it('explains a score: components with their inputs and targets, the tickets behind incidents, the config version', async () => {
    const id = await newCustomer();
    await ingest(t, s.tenantId, [usage(id, 2500, 1), ...logins(id, 6, 2), ticket(id, 'high', 5), ticket(id, 'low', 40)]);
    await recompute.recomputeCustomer(s.tenantId, id);
    const res = await t.request({ method: 'GET', url: `/api/v1/customers/${id}/health`, token: s.accessToken });
    expect(res.statusCode).toBe(200);
    const h = res.json();
    expect(h.components.usage).toEqual({ score: 50, weight: 0.4, apiCalls: 2500, target: 5000 });
    expect(h.components.engagement).toEqual({ score: 20, weight: 0.3, logins: 6, target: 30 });
    // The low ticket was opened 40 days ago: outside the 30-day window.
    expect(h.components.incidents).toMatchObject({ score: 85, penalty: 15, ticketCount: 1 });
    expect(h.components.incidents.tickets).toEqual([expect.objectContaining({ severity: 'high', penalty: 15 })]);
    expect(h).toMatchObject({ score: 52, band: 'at_risk', configVersion: 2, windowDays: 30, change7d: null });
  });

  it('recomputes one customer after a usage event, through a de-duplicated job', async () => {
    const id = await newCustomer();
    await jobs.drain();
    expect((await health.getHealth(s.tenantId, id)).score).toBe(30);
    await ingest(t, s.tenantId, [usage(id, 5000, 1)]);
    await ingest(t, s.tenantId, [...logins(id, 30, 1)]);
    await jobs.drain();
    expect((await health.getHealth(s.tenantId, id)).score).toBe(100);
  });

  it('emits health.band_changed when a band changes, and not for a first score', async () => {
    const seen: HealthBandChangedEvent[] = [];
    const listener = (e: HealthBandChangedEvent) => seen.push(e);
    t.app.get(EventEmitter2).on(HEALTH_EVENTS.bandChanged, listener);
    try {
      const id = await newCustomer();
      await jobs.drain();
      const mine = () => seen.filter((e) => e.customerId === id).map((e) => `${e.from}->${e.to}`);
      expect(mine()).toEqual([]);
      // 0.4*100 + 0.3*33.3 + 0.3*100 = 80
      await ingest(t, s.tenantId, [usage(id, 5000, 1), ...logins(id, 10, 1)]);
      await jobs.drain();
      expect(mine()).toEqual(['critical->healthy']);
      // One critical ticket: 72.5 -> 73, still healthy.
      await ingest(t, s.tenantId, [ticket(id, 'critical', 0)]);
      await jobs.drain();
      expect(mine()).toEqual(['critical->healthy']);
      // A second one: 65, at risk. The event's own job and a bulk recompute race; exactly one of them reports it.
      await ingest(t, s.tenantId, [ticket(id, 'critical', 0)]);
      await recompute.recomputeTenant(s.tenantId);
      await jobs.drain();
      expect(mine()).toEqual(['critical->healthy', 'healthy->at_risk']);
      expect(seen.find((e) => e.customerId === id && e.to === 'at_risk')).toMatchObject({ previousScore: 73, score: 65, configVersion: 2 });
    } finally {
      t.app.get(EventEmitter2).off(HEALTH_EVENTS.bandChanged, listener);
    }
  });
});
