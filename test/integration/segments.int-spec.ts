import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { JobQueue } from '../../src/infra/queue';
import { PurchasesService } from '../../src/modules/purchases';
import { CustomerFactsRegistry, SEGMENT_EVENTS, SegmentMembershipEvent, SegmentsService } from '../../src/modules/segments';
import { ingest, logins, ticket, usage } from '../factories/activity.factory';
import { createCustomer } from '../factories/customer.factory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

describe('segments (real database)', () => {
  let t: TestApp;
  let s: TenantSession;
  let jobs: JobQueue;
  const seen: Array<SegmentMembershipEvent & { kind: string }> = [];

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    jobs = t.app.get(JobQueue);
    const ee = t.app.get(EventEmitter2);
    ee.on(SEGMENT_EVENTS.entered, (e: SegmentMembershipEvent) => seen.push({ ...e, kind: 'entered' }));
    ee.on(SEGMENT_EVENTS.exited, (e: SegmentMembershipEvent) => seen.push({ ...e, kind: 'exited' }));
  });
  afterAll(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) => t.request({ method, url: `/api/v1${url}`, token: s.accessToken, body });
  const createSegment = async (name: string, rule: unknown) => {
    const res = await api('POST', '/segments', { name, rule });
    expect(res.statusCode).toBe(201);
    await jobs.drain();
    return res.json().id as string;
  };
  const members = async (segmentId: string) => ((await api('GET', `/customers?segmentId=${segmentId}&limit=100`)).json().data as Array<{ id: string }>).map((c) => c.id).sort();

  it('keeps membership current as tags change, emitting segment.entered and segment.exited', async () => {
    const a = (await createCustomer(t, s.accessToken, { tags: ['vip'] })).id;
    const b = (await createCustomer(t, s.accessToken, { tags: ['basic'] })).id;
    await jobs.drain();
    const id = await createSegment('VIPs', { all: [{ field: 'tags', op: 'contains', value: 'VIP' }] });
    expect(await members(id)).toEqual([a]);
    expect(seen.filter((e) => e.segmentId === id).map((e) => `${e.kind}:${e.customerId}`)).toEqual([`entered:${a}`]);

    await api('PATCH', `/customers/${b}`, { tags: ['vip'] });
    await api('PATCH', `/customers/${a}`, { tags: [] });
    await jobs.drain();
    expect(await members(id)).toEqual([b]);
    expect(seen.filter((e) => e.segmentId === id).map((e) => `${e.kind}:${e.customerId}`).sort()).toEqual([`entered:${a}`, `entered:${b}`, `exited:${a}`].sort());
    const page = (await api('GET', `/segments/${id}/customers`)).json();
    expect(page.data.map((c: { id: string }) => c.id)).toEqual([b]);
    expect((await api('GET', `/segments/${id}`)).json()).toMatchObject({ name: 'VIPs', memberCount: 1, evaluatedAt: expect.any(String) });
  });

  it('skips customer jobs of a tenant found without segments, until a segment is created', async () => {
    const other = await registerTenant(t);
    const segments = t.app.get(SegmentsService);
    const c = (await createCustomer(t, other.accessToken, { tags: ['gold'] })).id;
    await jobs.drain();
    expect(await segments.requestCustomerRefresh([{ tenantId: other.tenantId, customerId: c }])).toBe(0);
    const created = await t.request({ method: 'POST', url: '/api/v1/segments', token: other.accessToken, body: { name: 'Gold', rule: { all: [{ field: 'tags', op: 'contains', value: 'gold' }] } } });
    expect(created.statusCode).toBe(201);
    expect(await segments.requestCustomerRefresh([{ tenantId: other.tenantId, customerId: c }])).toBe(1);
    await jobs.drain();
    const page = await t.request({ method: 'GET', url: `/api/v1/customers?segmentId=${created.json().id}`, token: other.accessToken });
    expect(page.json().data.map((x: { id: string }) => x.id)).toEqual([c]);
  });

  it('re-evaluates the customers of one batch job together: who entered and who left, no one else', async () => {
    const other = await registerTenant(t);
    const segments = t.app.get(SegmentsService);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await createCustomer(t, other.accessToken, { tags: i < 2 ? ['gold'] : [] })).id);
    await jobs.drain();
    const created = await t.request({ method: 'POST', url: '/api/v1/segments', token: other.accessToken, body: { name: 'Gold', rule: { all: [{ field: 'tags', op: 'contains', value: 'gold' }] } } });
    const segmentId = created.json().id as string;
    await jobs.drain();
    // Tags changed behind the listeners' back (customer_tags is what rules read): only the customers the batch names
    // may move.
    const ds = t.app.get(DataSource);
    const [a, b] = ds.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
    for (const id of [ids[0], ids[1]]) await ds.query(`DELETE FROM customer_tags WHERE customer_id = ${a} AND tag = ${b}`, [id, 'gold']);
    for (const id of [ids[2], ids[3]]) await ds.query(`INSERT INTO customer_tags (customer_id, tag, tenant_id) VALUES (${a}, ${b}, ${ds.options.type === 'postgres' ? '$3' : '?'})`, [id, 'gold', other.tenantId]);
    const r = await segments.recomputeCustomers(other.tenantId, [ids[0], ids[2], ids[3]]);
    expect(r.entered.map((e) => e.customerId).sort()).toEqual([ids[2], ids[3]].sort());
    expect(r.exited).toEqual([{ segmentId, customerId: ids[0] }]);
    const page = await t.request({ method: 'GET', url: `/api/v1/customers?segmentId=${segmentId}&limit=10`, token: other.accessToken });
    expect(page.json().data.map((x: { id: string }) => x.id).sort()).toEqual([ids[1], ids[2], ids[3]].sort());
    // Idempotent: the same batch again moves no one.
    expect(await segments.recomputeCustomers(other.tenantId, [ids[0], ids[2], ids[3]])).toEqual({ entered: [], exited: [] });
  });

  it('moves a customer out of a health segment when its band changes', async () => {
    const c = (await createCustomer(t, s.accessToken)).id;
    await jobs.drain();
    const id = await createSegment('Critical health', { all: [{ field: 'band', op: 'eq', value: 'critical' }, { field: 'healthScore', op: 'lt', value: 40 }] });
    expect(await members(id)).toContain(c);
    await ingest(t, s.tenantId, [usage(c, 5000), ...logins(c, 30)]);
    await jobs.drain();
    expect(await members(id)).not.toContain(c);
    expect(seen.filter((e) => e.segmentId === id && e.customerId === c).map((e) => e.kind)).toEqual(['entered', 'exited']);
  });

  it('matches purchases, recency, event counts and attributes', async () => {
    const purchases = t.app.get(PurchasesService);
    const big = (await createCustomer(t, s.accessToken, { attributes: { plan: 'pro', seats: 12 } })).id;
    const small = (await createCustomer(t, s.accessToken, { attributes: { plan: 'free', seats: '12' } })).id;
    const buy = (customerId: string, orderId: string, amount: number, daysAgo: number) =>
      purchases.recordPurchase({ tenantId: s.tenantId, customerId, orderId, amount, currency: 'USD', occurredAt: new Date(Date.now() - daysAgo * 86_400_000) });
    await buy(big, `o-${big}-1`, 400, 50);
    await buy(big, `o-${big}-2`, 250.5, 10);
    await buy(small, `o-${small}-1`, 20, 100);
    await ingest(t, s.tenantId, [...logins(big, 3), ticket(small, 'low')]);
    await jobs.drain();
    const preview = async (rule: unknown) => {
      const res = await api('POST', '/segments/preview', { rule });
      expect(res.statusCode).toBe(200);
      return (res.json().data as Array<{ id: string }>).map((c) => c.id).filter((id) => id === big || id === small).sort();
    };
    expect(await preview({ all: [{ field: 'totalSpent', op: 'gte', value: 650.5 }] })).toEqual([big]);
    expect(await preview({ all: [{ field: 'orderCount', op: 'between', value: [1, 1] }] })).toEqual([small]);
    expect(await preview({ all: [{ field: 'daysSinceLastPurchase', op: 'gt', value: 30 }] })).toEqual([small]);
    expect(await preview({ all: [{ field: 'daysSinceLastPurchase', op: 'eq', value: 10 }] })).toEqual([big]);
    expect(await preview({ all: [{ field: 'events', eventType: 'login', days: 7, op: 'gte', value: 3 }] })).toEqual([big]);
    expect(await preview({ all: [{ field: 'events', eventType: 'support_ticket', days: 7, op: 'eq', value: 1 }] })).toEqual([small]);
    expect(await preview({ all: [{ field: 'attributes.plan', op: 'in', value: ['pro', 'team'] }] })).toEqual([big]);
    // "12" (text) is not the number 12.
    expect(await preview({ all: [{ field: 'attributes.seats', op: 'gte', value: 10 }] })).toEqual([big]);
    expect(await preview({ all: [{ field: 'attributes.seats', op: 'eq', value: '12' }] })).toEqual([small]);
    expect(await preview({ any: [{ field: 'attributes.plan', op: 'eq', value: 'free' }, { all: [{ field: 'totalSpent', op: 'gt', value: 600 }] }] })).toEqual([big, small].sort());
    const res = await api('POST', '/segments/preview', { rule: { all: [{ field: 'attributes.plan', op: 'exists' }] }, limit: 1 });
    expect(res.json().count).toBe(2);
    expect(res.json().data).toEqual([expect.objectContaining({ id: expect.stringMatching(new RegExp(`^(${big}|${small})$`)) })]);
  });

  it('serves frequencyBand and tier only when a module provides them', async () => {
    const rule = { all: [{ field: 'tier', op: 'eq', value: 'gold' }] };
    const refused = await api('POST', '/segments/preview', { rule });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details).toEqual([{ field: 'rule.all[0].field', message: expect.stringContaining('not available') }]);
    t.app.get(CustomerFactsRegistry).register({
      field: 'tier', kind: 'enum', values: ['bronze', 'gold'],
      expression: () => "(CASE WHEN c.status = 'active' THEN 'gold' ELSE 'bronze' END)",
    });
    const ok = await api('POST', '/segments/preview', { rule });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().count).toBeGreaterThan(0);
    const badValue = await api('POST', '/segments/preview', { rule: { all: [{ field: 'tier', op: 'eq', value: 'diamond' }] } });
    expect(badValue.json().error.details).toEqual([{ field: 'rule.all[0].value', message: 'must be one of bronze, gold' }]);
  });

  describe('bad rules are refused with 400 naming the place, and nothing is saved', () => {
    const deep = (levels: number): unknown => (levels === 1 ? { all: [{ field: 'status', op: 'eq', value: 'active' }] } : { any: [deep(levels - 1)] });
    const cases: Array<[string, unknown, string]> = [
      ['an unknown field', { all: [{ field: 'status', op: 'eq', value: 'active' }, { any: [{ field: 'shoeSize', op: 'eq', value: 42 }] }] }, 'rule.all[1].any[0].field'],
      ['an unknown operator', { all: [{ field: 'totalSpent', op: 'bigger', value: 1 }] }, 'rule.all[0].op'],
      ['a rule nested deeper than 10', deep(11), 'rule' + '.any[0]'.repeat(10)],
      ['more than 100 conditions', { any: Array.from({ length: 101 }, () => ({ field: 'status', op: 'eq', value: 'active' })) }, 'rule'],
      ['events without days', { all: [{ field: 'events', eventType: 'login', op: 'gt', value: 1 }] }, 'rule.all[0].days'],
      ['events over more than 365 days', { all: [{ field: 'events', eventType: 'login', days: 366, op: 'gt', value: 1 }] }, 'rule.all[0].days'],
    ];
    it.each(cases)('%s', async (_name, rule, field) => {
      const before = (await api('GET', '/segments')).json().data.length;
      const res = await api('POST', '/segments', { name: `bad ${Math.random()}`, rule });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect((await api('GET', '/segments')).json().data.length).toBe(before);
    });

    it('accepts a rule exactly 10 deep with 100 conditions', async () => {
      const res = await api('POST', '/segments/preview', { rule: deep(10) });
      expect(res.statusCode).toBe(200);
      const wide = await api('POST', '/segments/preview', { rule: { any: Array.from({ length: 100 }, () => ({ field: 'status', op: 'eq', value: 'active' })) } });
      expect(wide.statusCode).toBe(200);
    });
  });

  it('keeps segments per tenant: another tenant gets 404', async () => {
    const id = await createSegment('Mine', { all: [{ field: 'status', op: 'eq', value: 'active' }] });
    const other = await registerTenant(t);
    const res = await t.request({ method: 'GET', url: `/api/v1/segments/${id}`, token: other.accessToken });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('SEGMENT_NOT_FOUND');
    const dup = await api('POST', '/segments', { name: 'Mine', rule: { all: [{ field: 'status', op: 'eq', value: 'active' }] } });
    expect(dup.statusCode).toBe(409);
  });
});
