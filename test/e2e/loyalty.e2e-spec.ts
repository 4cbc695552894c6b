import { EventEmitter2 } from '@nestjs/event-emitter';
import { createCustomer } from '../factories/customer.factory';
import { buyFor, drainJobs } from '../factories/purchase.factory';
import { registerTenant, TenantSession, tokenForRole } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';
import { DomainEventBus } from '../../src/infra/domain-events';

describe('loyalty API', () => {
  let t: TestApp;
  let s: TenantSession;
  const base = (id: string) => `/api/v1/customers/${id}/loyalty`;
  const post = (url: string, body: unknown, headers?: Record<string, string>, token = s.accessToken) => t.request({ method: 'POST', url, token, body, headers });
  const get = (url: string, token = s.accessToken) => t.request({ method: 'GET', url, token });
  const ledgerOf = async (id: string) => (await get(`${base(id)}/transactions?limit=100`)).json().data as Array<Record<string, unknown>>;

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
  });
  afterAll(() => t.close());

  describe('program', () => {
    const program = {
      enabled: true, pointsPerCurrencyUnit: 2, rounding: 'floor', expiryDays: 180, tierBasis: 'lifetime',
      tiers: [{ name: 'bronze', threshold: 0 }, { name: 'silver', threshold: 100 }, { name: 'gold', threshold: 500 }, { name: 'platinum', threshold: 2000 }],
      downgradeGraceDays: 14,
    };
    let p: TenantSession;
    beforeAll(async () => {
      p = await registerTenant(t);
    });
    const put = (body: unknown, token = p.accessToken) => t.request({ method: 'PUT', url: '/api/v1/loyalty/program', token, body });

    it('starts from the documented defaults', async () => {
      expect((await get('/api/v1/loyalty/program', p.accessToken)).json()).toMatchObject({
        isDefault: true, enabled: true, pointsPerCurrencyUnit: 1, expiryDays: 365, tierBasis: 'lifetime', downgradeGraceDays: 30,
        tiers: [{ name: 'bronze', threshold: 0 }, { name: 'silver' }, { name: 'gold' }, { name: 'platinum' }],
      });
    });

    it('is replaced by an admin and read back', async () => {
      const res = await put(program);
      expect(res.statusCode).toBe(200);
      expect((await get('/api/v1/loyalty/program', p.accessToken)).json()).toMatchObject({ ...program, isDefault: false });
      expect((await put(program, await tokenForRole(t, p, 'agent'))).statusCode).toBe(403);
    });

    it.each([
      ['an unknown tier name', { tiers: [...program.tiers.slice(0, 3), { name: 'diamond', threshold: 5000 }] }, 'tiers[3].name'],
      ['thresholds that do not increase', { tiers: [program.tiers[0], { name: 'silver', threshold: 500 }, { name: 'gold', threshold: 400 }] }, 'tiers[2].threshold'],
      ['a first threshold other than 0', { tiers: [{ name: 'bronze', threshold: 10 }] }, 'tiers[0].threshold'],
      ['tiers out of order', { tiers: [{ name: 'gold', threshold: 0 }, { name: 'silver', threshold: 10 }] }, 'tiers[1].name'],
      ['expiryDays below 1', { expiryDays: 0 }, 'expiryDays'],
      ['a negative rate', { pointsPerCurrencyUnit: -1 }, 'pointsPerCurrencyUnit'],
    ])('rejects %s naming the field, keeping the stored program', async (_what, patch, field) => {
      const res = await put({ ...program, ...patch });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
      expect((await get('/api/v1/loyalty/program', p.accessToken)).json()).toMatchObject(program);
    });

    it('accepts expiryDays null (points never expire)', async () => {
      expect((await put({ ...program, expiryDays: null })).json().expiryDays).toBeNull();
    });
  });

  it('earns and redeems, with balance, tier, next tier and points to it in the summary', async () => {
    const c = await createCustomer(t, s.accessToken);
    const earned = await post(`${base(c.id)}/earn`, { points: 1200, reason: 'Welcome', reference: 'W-1' });
    expect(earned.statusCode).toBe(201);
    expect(earned.json()).toMatchObject({ balance: 1200, tier: 'silver', transaction: { type: 'earn', points: 1200, balanceAfter: 1200, reference: 'W-1' } });
    expect(Date.parse(earned.json().transaction.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    const redeemed = await post(`${base(c.id)}/redeem`, { points: 200, reason: 'Voucher' });
    expect(redeemed.json()).toMatchObject({ balance: 1000, transaction: { type: 'redeem', points: -200, balanceAfter: 1000 } });
    const summary = (await get(base(c.id))).json();
    expect(summary).toMatchObject({ balance: 1000, tier: 'silver', nextTier: 'gold', pointsToNextTier: 3800, lifetimeEarned: 1200, qualifyingPoints: 1200, pendingDowngrade: null });
    expect(summary.expiringSoon).toEqual([]);
    const history = (await get(`${base(c.id)}/tier-history`)).json().data;
    expect(history).toMatchObject([{ fromTier: 'bronze', toTier: 'silver', reason: 'upgrade', qualifyingPoints: 1200 }]);
  });

  it('emits loyalty.tier_changed when a change moves the tier', async () => {
    const c = await createCustomer(t, s.accessToken);
    const seen: unknown[] = [];
    const listener = (e: unknown) => seen.push(e);
    t.app.get(EventEmitter2).on('loyalty.tier_changed', listener);
    await post(`${base(c.id)}/earn`, { points: 5000, reason: 'Big' });
    t.app.get(EventEmitter2).off('loyalty.tier_changed', listener);
    expect(seen).toMatchObject([{ tenantId: s.tenantId, customerId: c.id, fromTier: 'bronze', toTier: 'gold', reason: 'upgrade', qualifyingPoints: 5000 }]);
  });

  describe('bad input writes nothing', () => {
    let id: string;
    beforeAll(async () => {
      id = (await createCustomer(t, s.accessToken)).id;
      await post(`${base(id)}/earn`, { points: 50, reason: 'Seed' });
    });

    it.each([
      ['zero points', 'earn', { points: 0, reason: 'x' }, 'points'],
      ['negative points', 'earn', { points: -5, reason: 'x' }, 'points'],
      ['fractional points', 'redeem', { points: 1.5, reason: 'x' }, 'points'],
      ['points as a string', 'redeem', { points: '10', reason: 'x' }, 'points'],
      ['no reason', 'earn', { points: 10 }, 'reason'],
    ])('%s on %s -> 400 naming the field', async (_what, op, body, field) => {
      const res = await post(`${base(id)}/${op}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.details[0].field).toBe(field);
      expect(await ledgerOf(id)).toHaveLength(1);
    });

    it('redeeming more than the balance -> 422 INSUFFICIENT_POINTS naming points', async () => {
      const res = await post(`${base(id)}/redeem`, { points: 51, reason: 'Too much' });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'INSUFFICIENT_POINTS', details: [{ field: 'points', message: 'exceeds the balance of 50' }] });
      expect(await ledgerOf(id)).toHaveLength(1);
      expect((await get(base(id))).json().balance).toBe(50);
    });

    it('a negative adjust past zero -> 422, and adjust needs an admin', async () => {
      expect((await post(`${base(id)}/adjust`, { points: -60, reason: 'Fix' })).json().error.code).toBe('INSUFFICIENT_POINTS');
      expect((await post(`${base(id)}/adjust`, { points: 0, reason: 'Fix' })).json().error.details[0].field).toBe('points');
      const agent = await tokenForRole(t, s, 'agent');
      expect((await post(`${base(id)}/adjust`, { points: 5, reason: 'Fix' }, undefined, agent)).statusCode).toBe(403);
      expect(await ledgerOf(id)).toHaveLength(1);
      const ok = await post(`${base(id)}/adjust`, { points: -20, reason: 'Fix' });
      expect(ok.json()).toMatchObject({ balance: 30, transaction: { type: 'adjust', points: -20, qualifyingPoints: -20 } });
    });

    it('another tenant\'s customer -> 404', async () => {
      const other = await registerTenant(t);
      expect((await post(`${base(id)}/earn`, { points: 5, reason: 'x' }, undefined, other.accessToken)).statusCode).toBe(404);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first answer for the same key and body, without a second row', async () => {
      const c = await createCustomer(t, s.accessToken);
      const key = { 'idempotency-key': `earn-${c.id}` };
      const first = await post(`${base(c.id)}/earn`, { points: 70, reason: 'Promo' }, key);
      const again = await post(`${base(c.id)}/earn`, { reason: 'Promo', points: 70 }, key);
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await ledgerOf(c.id)).toHaveLength(1);
    });

    it('refuses the same key with another body or customer (422), and a malformed key (400)', async () => {
      const c = await createCustomer(t, s.accessToken);
      const d = await createCustomer(t, s.accessToken);
      await post(`${base(c.id)}/earn`, { points: 100, reason: 'Promo' });
      const key = { 'idempotency-key': `redeem-${c.id}` };
      expect((await post(`${base(c.id)}/redeem`, { points: 10, reason: 'Gift' }, key)).statusCode).toBe(201);
      const other = await post(`${base(c.id)}/redeem`, { points: 11, reason: 'Gift' }, key);
      expect(other.statusCode).toBe(422);
      expect(other.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await post(`${base(d.id)}/redeem`, { points: 10, reason: 'Gift' }, key)).json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const bad = await post(`${base(c.id)}/redeem`, { points: 10, reason: 'Gift' }, { 'idempotency-key': 'has space' });
      expect(bad.json().error.details).toEqual([{ field: 'Idempotency-Key', message: 'must be 1-255 visible ASCII characters' }]);
      expect((await get(base(c.id))).json().balance).toBe(90);
    });
  });

  it('pages the ledger newest first', async () => {
    const c = await createCustomer(t, s.accessToken);
    for (const points of [10, 20, 30]) await post(`${base(c.id)}/earn`, { points, reason: 'x' });
    const p1 = (await get(`${base(c.id)}/transactions?limit=2`)).json();
    expect(p1.data.map((r: { points: number }) => r.points)).toEqual([30, 20]);
    const p2 = (await get(`${base(c.id)}/transactions?limit=2&cursor=${p1.page.nextCursor}`)).json();
    expect(p2.data.map((r: { balanceAfter: number }) => r.balanceAfter)).toEqual([10]);
    expect(p2.page.nextCursor).toBeNull();
  });

  it('filters the customer list by tier; members without activity are in the first tier', async () => {
    const u = await registerTenant(t);
    const gold = await createCustomer(t, u.accessToken);
    const fresh = await createCustomer(t, u.accessToken);
    await post(`${base(gold.id)}/earn`, { points: 6000, reason: 'x' }, undefined, u.accessToken);
    const list = async (qs: string) => (await get(`/api/v1/customers?${qs}`, u.accessToken)).json().data.map((x: { id: string }) => x.id);
    expect(await list('tier=gold')).toEqual([gold.id]);
    expect(await list('tier=bronze')).toEqual([fresh.id]);
    expect(new Set(await list('tier=bronze,gold'))).toEqual(new Set([gold.id, fresh.id]));
    expect((await get('/api/v1/customers?tier=diamond', u.accessToken)).json().error.details[0].field).toBe('tier');
  });

  it('turns purchase events into points once per order, and a disabled program earns nothing', async () => {
    const u = await registerTenant(t);
    const c = await createCustomer(t, u.accessToken);
    const p = await buyFor(t, u.tenantId, c.id, 123.45);
    await t.app.get(DomainEventBus).publishAsync([{ name: 'purchase.recorded', payload: { tenantId: u.tenantId, customerId: c.id, orderId: p.orderId, purchaseId: p.id } }]);
    await drainJobs(t);
    const rows = (await get(`${base(c.id)}/transactions`, u.accessToken)).json().data;
    expect(rows).toMatchObject([{ type: 'earn', points: 123, reference: p.orderId, reason: 'purchase' }]);
    const program = (await get('/api/v1/loyalty/program', u.accessToken)).json();
    const { isDefault: _d, updatedAt: _u, ...body } = program;
    await t.request({ method: 'PUT', url: '/api/v1/loyalty/program', token: u.accessToken, body: { ...body, enabled: false } });
    await buyFor(t, u.tenantId, c.id, 50);
    await drainJobs(t);
    expect((await get(`${base(c.id)}/transactions`, u.accessToken)).json().data).toHaveLength(1);
    expect((await post(`${base(c.id)}/earn`, { points: 5, reason: 'x' }, undefined, u.accessToken)).json().error.code).toBe('LOYALTY_PROGRAM_DISABLED');
    expect((await post(`${base(c.id)}/redeem`, { points: 5, reason: 'x' }, undefined, u.accessToken)).statusCode).toBe(201);
  });
});
