import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import type { LoyaltyProgramService as ProgramServiceT, LoyaltyService as LoyaltyServiceT } from '../../src/modules/loyalty';
import type { LoyaltyLedger } from '../../src/modules/loyalty/loyalty-ledger.service';
import type { LoyaltyMaintenanceService } from '../../src/modules/loyalty/loyalty-maintenance.service';
import type { LoyaltyPurchasesService as PurchasesSyncT } from '../../src/modules/loyalty/loyalty-purchases.service';
import { DEFAULT_PROGRAM, ProgramRules } from '../../src/modules/loyalty/rules/loyalty-program.rules';
import { PurchasesService } from '../../src/modules/purchases';
import { createCustomer } from '../factories/customer.factory';
import { buyFor, drainJobs, refundOf } from '../factories/purchase.factory';
import { registerTenant } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;
const at = (s: string) => new Date(s);
const plus = (d: Date, days: number, ms = 0) => new Date(d.getTime() + days * DAY + ms);

describe('loyalty ledger (real database)', () => {
  let t: TestApp;
  let ledger: LoyaltyLedger;
  let sweep: LoyaltyMaintenanceService;
  let programs: ProgramServiceT;
  let loyaltyService: LoyaltyServiceT;
  let orderSync: PurchasesSyncT;

  beforeAll(async () => {
    t = await createTestApp();
    // Loaded after the app: module files read the configuration when they load.
    ledger = t.app.get((await import('../../src/modules/loyalty/loyalty-ledger.service')).LoyaltyLedger);
    sweep = t.app.get((await import('../../src/modules/loyalty/loyalty-maintenance.service')).LoyaltyMaintenanceService);
    orderSync = t.app.get((await import('../../src/modules/loyalty/loyalty-purchases.service')).LoyaltyPurchasesService);
    const loyalty = await import('../../src/modules/loyalty');
    programs = t.app.get(loyalty.LoyaltyProgramService);
    loyaltyService = t.app.get(loyalty.LoyaltyService);
  });
  afterAll(() => t.close());

  /** A fresh tenant running `program` and one of its customers. */
  async function member(program: Partial<ProgramRules> = {}) {
    const s = await registerTenant(t);
    await programs.put(s.tenantId, { ...DEFAULT_PROGRAM, ...program });
    await drainJobs(t);
    const customerId = (await createCustomer(t, s.accessToken)).id as string;
    return { s, ref: { tenantId: s.tenantId, customerId } };
  }
  type Ref = { tenantId: string; customerId: string };
  const earnAt = (ref: Ref, points: number, now: Date) => ledger.withAccount(ref, (ctx) => ledger.credit(ctx, 'earn', points, { reason: 'test', reference: null }), { now });
  const redeemAt = (ref: Ref, points: number, now: Date) => ledger.withAccount(ref, (ctx) => ledger.debit(ctx, 'redeem', points, { reason: 'test', reference: null }), { now });

  /** The ledger in order, and the invariant: balance = sum of the ledger = sum of open lots, never negative. */
  async function ledgerOf(ref: Ref) {
    const ds = t.app.get(DataSource);
    const rows = await ds.getRepository('LoyaltyTransaction').find({ where: ref, order: { seq: 'ASC' } });
    const account = await ds.getRepository('LoyaltyAccount').findOneByOrFail(ref);
    const lots = await ds.getRepository('LoyaltyLot').find({ where: ref });
    const sum = rows.reduce((s, r) => s + Number(r.points), 0);
    expect(Number(account.balance)).toBe(sum);
    expect(lots.reduce((s, l) => s + Number(l.remaining), 0)).toBe(sum);
    for (const r of rows) expect(Number(r.balanceAfter)).toBeGreaterThanOrEqual(0);
    return { rows: rows.map((r) => ({ type: r.type, points: r.points, balanceAfter: Number(r.balanceAfter), occurredAt: (r.occurredAt as Date).toISOString(), shortfall: r.shortfall })), account };
  }

  it('consumes the oldest lot first and expires exactly what remains of a lot at its expiresAt', async () => {
    const { ref } = await member({ expiryDays: 30 });
    const t0 = at('2026-01-01T00:00:00Z');
    await earnAt(ref, 100, t0);
    await earnAt(ref, 50, plus(t0, 10));
    await redeemAt(ref, 120, plus(t0, 20));
    // The first lot is spent, so its expiry writes nothing; the second has 30 left.
    await sweep.sweep(plus(t0, 30));
    await sweep.sweep(plus(t0, 40, -1));
    expect((await ledgerOf(ref)).rows.map((r) => r.type)).toEqual(['earn', 'earn', 'redeem']);
    await sweep.sweep(plus(t0, 45));
    const { rows } = await ledgerOf(ref);
    expect(rows.map((r) => [r.type, r.points, r.balanceAfter])).toEqual([['earn', 100, 100], ['earn', 50, 150], ['redeem', -120, 30], ['expire', -30, 0]]);
    expect(rows[3].occurredAt).toBe(plus(t0, 40).toISOString());
    await sweep.sweep(plus(t0, 50));
    expect((await ledgerOf(ref)).rows).toHaveLength(4);
  });

  it('does not let a redeem at the very second a lot expires use it', async () => {
    const { ref, s } = await member({ expiryDays: 30 });
    const t0 = at('2026-02-01T12:00:00Z');
    await earnAt(ref, 40, t0);
    await earnAt(ref, 10, plus(t0, 1));
    const expiry = plus(t0, 30);
    await expect(redeemAt(ref, 20, expiry)).rejects.toMatchObject({ code: 'INSUFFICIENT_POINTS' });
    expect((await ledgerOf(ref)).rows).toHaveLength(2);
    const summary = await loyaltyService.getLoyaltySummary(s.tenantId, ref.customerId, expiry);
    expect(summary.balance).toBe(10);
    expect(summary.expiringSoon).toEqual([{ points: 10, expiresAt: plus(t0, 31) }]);
    await redeemAt(ref, 10, expiry);
    expect((await ledgerOf(ref)).rows.map((r) => [r.type, r.points, r.occurredAt])).toEqual([
      ['earn', 40, t0.toISOString()],
      ['earn', 10, plus(t0, 1).toISOString()],
      ['expire', -40, expiry.toISOString()],
      ['redeem', -10, expiry.toISOString()],
    ]);
  });

  it('keeps past lots and rows as they were when the program changes', async () => {
    const { ref, s } = await member({ expiryDays: 365 });
    const t0 = at('2026-03-01T00:00:00Z');
    await earnAt(ref, 80, t0);
    await programs.put(s.tenantId, { ...DEFAULT_PROGRAM, expiryDays: 1, pointsPerCurrencyUnit: 5 });
    await drainJobs(t);
    const lot = await t.app.get(DataSource).getRepository('LoyaltyLot').findOneByOrFail(ref);
    expect((lot.expiresAt as Date).toISOString()).toBe(plus(t0, 365).toISOString());
    expect((await ledgerOf(ref)).rows).toEqual([{ type: 'earn', points: 80, balanceAfter: 80, occurredAt: t0.toISOString(), shortfall: 0 }]);
  });

  it('reverses refunds proportionally from the order, never below zero, recording the shortfall', async () => {
    const { s, ref } = await member({ pointsPerCurrencyUnit: 1 });
    const p = await buyFor(t, s.tenantId, ref.customerId, 100);
    await drainJobs(t);
    await loyaltyService.redeem(s.tenantId, ref.customerId, { points: 80, reason: 'spent' }, s.userId);
    await refundOf(t, s.tenantId, p.orderId, 50);
    await drainJobs(t);
    await refundOf(t, s.tenantId, p.orderId, 50);
    await drainJobs(t);
    const { rows, account } = await ledgerOf(ref);
    expect(rows.map((r) => [r.type, r.points, r.balanceAfter, r.shortfall])).toEqual([
      ['earn', 100, 100, 0], ['redeem', -80, 20, 0], ['reverse', -20, 0, 30], ['reverse', 0, 0, 50],
    ]);
    expect(Number(account.lifetimeEarned)).toBe(0);
  });

  it('reverses exactly what an order earned over several partial refunds', async () => {
    const { s, ref } = await member();
    const p = await buyFor(t, s.tenantId, ref.customerId, 49.99);
    await drainJobs(t);
    for (const amount of [15, 15, 19.99]) {
      await refundOf(t, s.tenantId, p.orderId, amount);
      await drainJobs(t);
    }
    const { rows } = await ledgerOf(ref);
    expect(rows.map((r) => r.points)).toEqual([49, -14, -15, -20]);
  });

  it('ends in the same ledger when a refund is handled before its purchase, and twice', async () => {
    const { s, ref } = await member();
    const purchases = t.app.get(PurchasesService);
    const sync = orderSync;
    await purchases.recordPurchase({ tenantId: s.tenantId, customerId: ref.customerId, orderId: 'late-1', amount: 100, currency: 'USD', occurredAt: new Date() });
    await purchases.recordRefund({ tenantId: s.tenantId, orderId: 'late-1', amount: 40, occurredAt: new Date() });
    const input = { tenantId: s.tenantId, customerId: ref.customerId, orderId: 'late-1' };
    expect(await sync.syncOrder({ ...input, award: false })).toEqual({ earned: 0, reversed: 0, shortfall: 0 });
    expect(await sync.syncOrder({ ...input, award: true })).toEqual({ earned: 100, reversed: 40, shortfall: 0 });
    await sync.syncOrder({ ...input, award: true });
    await sync.syncOrder({ ...input, award: false });
    expect((await ledgerOf(ref)).rows.map((r) => [r.type, r.points])).toEqual([['earn', 100], ['reverse', -40]]);
  });

  it("syncs a batch of orders (the job ingestion queues) in one account transaction per customer, idempotently", async () => {
    const { s, ref } = await member();
    const other = { tenantId: s.tenantId, customerId: (await createCustomer(t, s.accessToken)).id as string };
    const purchases = t.app.get(PurchasesService);
    const buy = (customerId: string, orderId: string, amount: number) => purchases.recordPurchase({ tenantId: s.tenantId, customerId, orderId, amount, currency: 'USD', occurredAt: new Date() });
    await buy(ref.customerId, 'b-1', 100);
    await buy(ref.customerId, 'b-2', 30);
    await buy(other.customerId, 'b-3', 50);
    await purchases.recordRefund({ tenantId: s.tenantId, orderId: 'b-2', amount: 30, occurredAt: new Date() });
    // An unknown order is skipped; a refund-only sync of orders that never earned earns nothing.
    expect(await orderSync.syncOrders(s.tenantId, ['b-1', 'b-2', 'b-3', 'nope'], false)).toEqual({ orders: 3, earned: 0, reversed: 0 });
    expect(await orderSync.syncOrders(s.tenantId, ['b-1', 'b-2', 'b-3', 'nope'], true)).toEqual({ orders: 3, earned: 180, reversed: 30 });
    expect(await orderSync.syncOrders(s.tenantId, ['b-3', 'b-2', 'b-1'], true)).toEqual({ orders: 3, earned: 0, reversed: 0 });
    expect((await ledgerOf(ref)).rows.map((r) => [r.type, r.points])).toEqual([['earn', 100], ['earn', 30], ['reverse', -30]]);
    expect((await ledgerOf(other)).rows.map((r) => [r.type, r.points])).toEqual([['earn', 50]]);
  });

  it('a batch sync (buffered, set-based writes) ends in the same ledger, lots, account and tier history as syncing order by order', async () => {
    const program: Partial<ProgramRules> = { tierBasis: 'lifetime', expiryDays: 30, tiers: [{ name: 'bronze', threshold: 0 }, { name: 'silver', threshold: 100 }] };
    const t0 = at('2026-01-01T00:00:00Z');
    const t1 = plus(t0, 40);
    const tierEvents: Array<{ customerId: string; toTier: string }> = [];
    const listen = (e: { customerId: string; toTier: string }) => tierEvents.push(e);
    t.app.get(EventEmitter2).on('loyalty.tier_changed', listen);
    const setUp = async () => {
      const { s, ref } = await member(program);
      const y = { tenantId: s.tenantId, customerId: (await createCustomer(t, s.accessToken)).id as string };
      // An earlier lot of 50 that has expired by t1: the sync settles it first.
      await earnAt(ref, 50, t0);
      const purchases = t.app.get(PurchasesService);
      const buy = (customerId: string, orderId: string, amount: number) => purchases.recordPurchase({ tenantId: s.tenantId, customerId, orderId, amount, currency: 'USD', occurredAt: t1 });
      await buy(ref.customerId, 'o-1', 80);
      await buy(ref.customerId, 'o-2', 40);
      await buy(y.customerId, 'o-3', 10);
      await purchases.recordRefund({ tenantId: s.tenantId, orderId: 'o-2', amount: 20, occurredAt: t1 });
      return { x: ref, y };
    };
    const state = async (ref: Ref) => {
      const ds = t.app.get(DataSource);
      const { rows, account } = await ledgerOf(ref);
      const lots = await ds.getRepository('LoyaltyLot').find({ where: ref });
      const history = await ds.getRepository('LoyaltyTierChange').find({ where: ref });
      return {
        rows: rows.map((r) => `${r.type}:${r.points}:${r.shortfall}:${r.occurredAt}`).sort(),
        account: { balance: Number(account.balance), lifetimeEarned: Number(account.lifetimeEarned), tier: account.tier, lastSeq: account.lastSeq },
        lots: lots.map((l) => `${l.points}:${l.remaining}:${l.isOpen}:${(l.expiresAt as Date).toISOString()}`).sort(),
        history: history.map((h) => `${h.fromTier}>${h.toTier}:${h.reason}`),
      };
    };

    const one = await setUp();
    for (const [ref, orderId] of [[one.x, 'o-1'], [one.x, 'o-2'], [one.y, 'o-3']] as const) await orderSync.syncOrder({ ...ref, orderId, award: true }, t1);
    const batch = await setUp();
    expect(await orderSync.syncOrders(batch.x.tenantId, ['o-3', 'o-2', 'o-1'], true, t1)).toEqual({ orders: 3, earned: 130, reversed: 20 });
    t.app.get(EventEmitter2).off('loyalty.tier_changed', listen);

    const x = await state(batch.x);
    expect(x).toEqual(await state(one.x));
    expect(await state(batch.y)).toEqual(await state(one.y));
    // 50 earned and expired, 80 + 40 earned, 20 reversed from o-2's own lot; qualification 150 -> silver.
    expect(x.rows).toEqual(['earn:40:0:2026-02-10T00:00:00.000Z', 'earn:50:0:2026-01-01T00:00:00.000Z', 'earn:80:0:2026-02-10T00:00:00.000Z', 'expire:-50:0:2026-01-31T00:00:00.000Z', 'reverse:-20:0:2026-02-10T00:00:00.000Z']);
    expect(x.account).toEqual({ balance: 100, lifetimeEarned: 150, tier: 'silver', lastSeq: 5 });
    expect(x.lots).toEqual(['40:20:true:2026-03-12T00:00:00.000Z', '50:0:false:2026-01-31T00:00:00.000Z', '80:80:true:2026-03-12T00:00:00.000Z']);
    expect(x.history).toEqual(['bronze>silver:upgrade']);
    expect(tierEvents.filter((e) => e.customerId === batch.x.customerId).map((e) => e.toTier)).toEqual(['silver']);
    // Again: nothing new.
    expect(await orderSync.syncOrders(batch.x.tenantId, ['o-1', 'o-2', 'o-3'], true, plus(t1, 0, 1000))).toEqual({ orders: 3, earned: 0, reversed: 0 });
    expect((await state(batch.x)).rows).toEqual(x.rows);
  });

  it("a hard delete takes the customer's account, ledger, lots and tier history; nothing is written for a customer gone meanwhile", async () => {
    const { s, ref } = await member({ tierBasis: 'lifetime', tiers: [{ name: 'bronze', threshold: 0 }, { name: 'silver', threshold: 100 }] });
    const kept = { tenantId: s.tenantId, customerId: (await createCustomer(t, s.accessToken)).id as string };
    const now = new Date();
    await earnAt(ref, 150, now);
    await earnAt(kept, 150, now);
    const ds = t.app.get(DataSource);
    const count = async (table: string, customerId: string) =>
      Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE customer_id = ${ds.options.type === 'postgres' ? '$1' : '?'}`, [customerId]))[0].n);
    const tables = ['loyalty_accounts', 'loyalty_transactions', 'loyalty_lots', 'loyalty_tier_changes'];
    for (const table of tables) expect(await count(table, ref.customerId)).toBeGreaterThan(0);
    expect((await t.request({ method: 'DELETE', url: `/api/v1/customers/${ref.customerId}?hard=true`, token: s.accessToken })).statusCode).toBe(204);
    for (const table of tables) {
      expect(await count(table, ref.customerId)).toBe(0);
      expect(await count(table, kept.customerId)).toBeGreaterThan(0);
    }
    // A change whose customer check passed before the delete is refused inside its transaction and creates no account.
    await expect(earnAt(ref, 10, now)).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
    // A batch sync (orders read before the delete) gets no context for it; the other customers' work goes on.
    expect(await ledger.withAccounts(s.tenantId, [ref.customerId, kept.customerId], async (ctxs) => [...ctxs.keys()])).toEqual([kept.customerId]);
    for (const table of tables) expect(await count(table, ref.customerId)).toBe(0);
  });

  it('a batch sync reverses a refund out of the lot an earlier sync stored (open lots are read only to take points)', async () => {
    const { s, ref } = await member({ expiryDays: 30 });
    const t0 = at('2026-03-01T00:00:00Z');
    const purchases = t.app.get(PurchasesService);
    const buy = (orderId: string, amount: number, when: Date) => purchases.recordPurchase({ tenantId: s.tenantId, customerId: ref.customerId, orderId, amount, currency: 'USD', occurredAt: when });
    await earnAt(ref, 50, t0);
    await buy('r-1', 80, plus(t0, 10));
    expect(await orderSync.syncOrders(s.tenantId, ['r-1'], true, plus(t0, 10))).toEqual({ orders: 1, earned: 80, reversed: 0 });
    await buy('r-2', 30, plus(t0, 12));
    expect(await orderSync.syncOrders(s.tenantId, ['r-2'], true, plus(t0, 12))).toEqual({ orders: 1, earned: 30, reversed: 0 });
    await purchases.recordRefund({ tenantId: s.tenantId, orderId: 'r-1', amount: 80, occurredAt: plus(t0, 35) });
    await buy('r-3', 20, plus(t0, 35));
    // One transaction: the first lot expires (its update still buffered), r-1's points come out of its stored lot, r-3 earns.
    expect(await orderSync.syncOrders(s.tenantId, ['r-1', 'r-3'], true, plus(t0, 35))).toEqual({ orders: 2, earned: 20, reversed: 80 });
    const { rows, account } = await ledgerOf(ref);
    expect(rows.map((r) => `${r.type}:${r.points}`).sort()).toEqual(['earn:20', 'earn:30', 'earn:50', 'earn:80', 'expire:-50', 'reverse:-80']);
    expect(Number(account.balance)).toBe(50);
    const lots = await t.app.get(DataSource).getRepository('LoyaltyLot').find({ where: ref });
    expect(lots.map((l) => `${l.points}:${l.remaining}:${l.isOpen}`).sort()).toEqual(['20:20:true', '30:30:true', '50:0:false', '80:0:false']);
  });

  it('lets exactly as many of 20 concurrent redeems through as the balance covers', async () => {
    const { s, ref } = await member();
    const loyalty = loyaltyService;
    await loyalty.earn(s.tenantId, ref.customerId, { points: 100, reason: 'seed' }, s.userId);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => loyalty.redeem(s.tenantId, ref.customerId, { points: 10, reason: `r${i}` }, s.userId)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused.map((r) => (r.reason as { code: string }).code)).toEqual(Array(10).fill('INSUFFICIENT_POINTS'));
    const { rows, account } = await ledgerOf(ref);
    expect(Number(account.balance)).toBe(0);
    expect(rows.map((r) => r.balanceAfter)).toEqual([100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 0]);
  });

  it('downgrades a rolling-12-month member exactly at the end of the grace period after leap-day points age out', async () => {
    const { ref, s } = await member({
      tierBasis: 'rolling_12m', downgradeGraceDays: 10, expiryDays: null,
      tiers: [{ name: 'bronze', threshold: 0 }, { name: 'silver', threshold: 100 }, { name: 'gold', threshold: 500 }],
    });
    const events: unknown[] = [];
    const listen = (e: unknown) => events.push(e);
    t.app.get(EventEmitter2).on('loyalty.tier_changed', listen);
    await earnAt(ref, 600, at('2024-02-29T10:00:00Z'));
    await sweep.sweep(at('2025-02-28T09:59:59.999Z'));
    const loyalty = loyaltyService;
    expect((await loyalty.getLoyaltySummary(s.tenantId, ref.customerId, at('2025-02-28T09:59:59.999Z'))).tier).toBe('gold');
    await sweep.sweep(at('2025-03-05T00:00:00Z'));
    const pending = await loyalty.getLoyaltySummary(s.tenantId, ref.customerId, at('2025-03-05T00:00:00Z'));
    expect(pending).toMatchObject({ tier: 'gold', qualifyingPoints: 0, pendingDowngrade: { at: at('2025-03-10T10:00:00Z') } });
    await sweep.sweep(at('2025-03-12T00:00:00Z'));
    t.app.get(EventEmitter2).off('loyalty.tier_changed', listen);
    const history = (await loyalty.tierHistory(s.tenantId, ref.customerId, {})).data;
    expect(history.map((h) => [h.fromTier, h.toTier, h.reason, h.effectiveAt.toISOString()])).toEqual([
      ['gold', 'bronze', 'downgrade', '2025-03-10T10:00:00.000Z'],
      ['bronze', 'gold', 'upgrade', '2024-02-29T10:00:00.000Z'],
    ]);
    expect(events).toMatchObject([{ toTier: 'gold' }, { fromTier: 'gold', toTier: 'bronze', effectiveAt: '2025-03-10T10:00:00.000Z' }]);
    // Redeeming does not affect the tier; the balance is untouched by the downgrade.
    expect((await loyalty.getLoyaltySummary(s.tenantId, ref.customerId, at('2025-03-12T00:00:00Z'))).balance).toBe(600);
  });
});
