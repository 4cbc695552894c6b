import { TransactionRunner } from '../../src/infra/database';
import { CustomersService } from '../../src/modules/customers';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// On SQLite every request shares one connection; these pin down that transactions stay apart anyway.
describe('transactions under concurrency', () => {
  let t: TestApp;
  let a: TenantSession;
  let tx: TransactionRunner;
  let customers: CustomersService;

  beforeAll(async () => {
    t = await createTestApp();
    a = await registerTenant(t);
    tx = t.app.get(TransactionRunner);
    customers = t.app.get(CustomersService);
  });
  afterAll(() => t.close());

  const exists = async (id: string) => (await t.request({ method: 'GET', url: `/api/v1/customers/${id}`, token: a.accessToken })).statusCode === 200;

  it('a rollback does not undo a concurrent transaction that committed', async () => {
    let rolledBackId = '';
    const failing = tx
      .run(async (m) => {
        rolledBackId = (await customers.create(a.tenantId, { email: `rb-${Date.now()}@example.com` }, m)).id;
        await sleep(50);
        throw new Error('boom');
      })
      .catch((e: Error) => e);
    await sleep(5);
    const kept = await tx.run((m) => customers.create(a.tenantId, { email: `kept-${Date.now()}@example.com` }, m));
    expect(await failing).toBeInstanceOf(Error);
    expect(await exists(kept.id)).toBe(true);
    expect(await exists(rolledBackId)).toBe(false);
  });

  it('a write outside any transaction is not swept into a concurrent one that rolls back', async () => {
    const c = await customers.create(a.tenantId, { email: `plain-${Date.now()}@example.com` });
    const failing = tx
      .run(async (m) => {
        await customers.create(a.tenantId, { email: `rb2-${Date.now()}@example.com` }, m);
        await sleep(50);
        throw new Error('boom');
      })
      .catch((e: Error) => e);
    await sleep(5);
    await customers.softDelete(a.tenantId, c.id);
    await failing;
    expect(await exists(c.id)).toBe(false);
  });

  it('work started inside a transaction, even another transaction, runs instead of waiting forever', async () => {
    const inner = await tx.run(async (m) => {
      await customers.create(a.tenantId, { email: `outer-${Date.now()}@example.com` }, m);
      return tx.run(async () => customers.create(a.tenantId, { email: `inner-${Date.now()}@example.com` }));
    });
    expect(await exists(inner.id)).toBe(true);
  });
});
