import { DataSource } from 'typeorm';
import type { LoyaltyCatchUpService } from '../../src/modules/loyalty/loyalty-catch-up.service';
import { DEFAULT_PROGRAM } from '../../src/modules/loyalty/rules/loyalty-program.rules';
import { PurchasesService } from '../../src/modules/purchases';
import { createCustomer } from '../factories/customer.factory';
import { buyFor, drainJobs } from '../factories/purchase.factory';
import { registerTenant } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

const HOUR = 3_600_000;

/** Purchases whose sync job was lost (a crash between commit and queue) get their points from the hourly catch-up. */
describe('loyalty catch-up of lost order syncs (real database)', () => {
  let t: TestApp;
  let catchUp: LoyaltyCatchUpService;

  beforeAll(async () => {
    t = await createTestApp();
    catchUp = t.app.get((await import('../../src/modules/loyalty/loyalty-catch-up.service')).LoyaltyCatchUpService);
  });
  afterAll(() => t.close());

  /** Stores a purchase the way ingestion does, but its purchase.recorded event is never published: no sync job. */
  async function lostPurchase(tenantId: string, customerId: string, orderId: string, amount: number, occurredAt: Date): Promise<void> {
    const r = await t.app.get(PurchasesService).recordPurchase({ tenantId, customerId, orderId, amount, currency: 'USD', occurredAt });
    expect(r.events).toHaveLength(1);
  }

  async function earnsOf(tenantId: string): Promise<Array<{ reference: string; points: number }>> {
    const p = t.app.get(DataSource).options.type === 'postgres' ? '$1' : '?';
    const rows = await t.app.get(DataSource).query(`SELECT reference, points FROM loyalty_transactions WHERE tenant_id = ${p} AND type = 'earn' ORDER BY reference`, [tenantId]);
    return rows.map((r: { reference: string; points: number | string }) => ({ reference: r.reference, points: Number(r.points) }));
  }

  it('earns for the last day\'s purchases without an earn row, once, and leaves recent, old and already-earned ones alone', async () => {
    const s = await registerTenant(t);
    const c = (await createCustomer(t, s.accessToken)).id as string;
    const now = new Date();
    await lostPurchase(s.tenantId, c, 'lost-2h', 40, new Date(now.getTime() - 2 * HOUR));
    await lostPurchase(s.tenantId, c, 'lost-5min', 25, new Date(now.getTime() - 5 * 60_000));
    await lostPurchase(s.tenantId, c, 'lost-3d', 60, new Date(now.getTime() - 72 * HOUR));
    await buyFor(t, s.tenantId, c, 10, { orderId: 'synced-1h', occurredAt: new Date(now.getTime() - HOUR) });
    await drainJobs(t);
    expect(await earnsOf(s.tenantId)).toEqual([{ reference: 'synced-1h', points: 10 }]);

    const first = await catchUp.run(now);
    expect(first.pointsEarned).toBe(40);
    expect(await earnsOf(s.tenantId)).toEqual([{ reference: 'lost-2h', points: 40 }, { reference: 'synced-1h', points: 10 }]);
    const account = await t.request({ method: 'GET', url: `/api/v1/customers/${c}/loyalty`, token: s.accessToken });
    expect(account.json()).toMatchObject({ balance: 50, lifetimeEarned: 50 });

    // Idempotent: a second run finds nothing to do.
    expect((await catchUp.run(now)).pointsEarned).toBe(0);
    expect(await earnsOf(s.tenantId)).toHaveLength(2);
  });

  it('grants nothing while the program is off, nor for purchases made before the program last changed', async () => {
    const programs = t.app.get((await import('../../src/modules/loyalty')).LoyaltyProgramService);
    const off = await registerTenant(t);
    await programs.put(off.tenantId, { ...DEFAULT_PROGRAM, enabled: false });
    const changed = await registerTenant(t);
    await programs.put(changed.tenantId, { ...DEFAULT_PROGRAM, pointsPerCurrencyUnit: 2 });
    await drainJobs(t);
    const now = new Date();
    for (const s of [off, changed]) {
      const c = (await createCustomer(t, s.accessToken)).id as string;
      await lostPurchase(s.tenantId, c, `lost-${s.slug}`, 30, new Date(now.getTime() - 2 * HOUR));
    }
    await catchUp.run(now);
    expect(await earnsOf(off.tenantId)).toEqual([]);
    expect(await earnsOf(changed.tenantId)).toEqual([]);
    // An hour after the change, a purchase made since then is caught up (at the program's current rate).
    const c = (await createCustomer(t, changed.accessToken)).id as string;
    await lostPurchase(changed.tenantId, c, 'lost-after-change', 30, new Date(now.getTime() + 10 * 60_000));
    await catchUp.run(new Date(now.getTime() + HOUR));
    expect(await earnsOf(changed.tenantId)).toEqual([{ reference: 'lost-after-change', points: 60 }]);
  });
});
