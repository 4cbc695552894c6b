import { DataSource } from 'typeorm';
import { TransactionRunner } from '../../src/infra/database';
import { CustomersService } from '../../src/modules/customers';
import { EventIngestService } from '../../src/modules/events';
import { parseEnvelope } from '../../src/modules/events/ingest/event-envelope';
import { ProfileChangesListener } from '../../src/modules/events/profile-changes.listener';
import { EventBatchWriter } from '../../src/modules/events/ingest/event-batch.writer';
import { TenantDirectory } from '../../src/modules/events/ingest/tenant-directory';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

/** The tables ingestion writes per event have no foreign key to customers: a hard delete clears them itself. */
const TABLES = ['customer_events', 'purchases', 'telemetry', 'contacts', 'support_tickets', 'work_orders'];

describe('hard delete of a customer with events (tables without foreign keys)', () => {
  let t: TestApp;
  let s: TenantSession;
  let ds: DataSource;
  let n = 0;
  const pg = () => ds.options.type === 'postgres';
  const count = async (table: string, customerId: string) =>
    Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE customer_id = ${pg() ? '$1' : '?'}`, [customerId]))[0].n);
  const idOf = async (ref: string) => (await ds.query(`SELECT id FROM customers WHERE external_id = ${pg() ? '$1' : '?'}`, [ref]))[0]?.id as string | undefined;
  /** One event per table; `v` tells apart the events (and orders, tickets, work orders) of a second batch. */
  const oneOfEach = (ref: string, v = '') => [
    { id: `${ref}-p${v}`, type: 'purchase', customer_id: ref, data: { orderId: `${ref}-o${v}`, amount: 10, currency: 'USD' } },
    { id: `${ref}-u${v}`, type: 'usage', customer_id: ref, data: { apiCalls: 5 } },
    { id: `${ref}-c${v}`, type: 'contact', customer_id: ref, data: { channel: 'email', direction: 'inbound', summary: 'hi' } },
    { id: `${ref}-t${v}`, type: 'support_ticket', customer_id: ref, data: { ticketId: `${ref}-T${v}`, subject: 'x', severity: 'low', status: 'open' } },
    { id: `${ref}-w${v}`, type: 'work_order', customer_id: ref, data: { workOrderId: `${ref}-W${v}`, status: 'scheduled' } },
  ];
  /** Rows one oneOfEach() batch leaves per table: an event row each, one effect row per other table. */
  const perBatch = (table: string) => (table === 'customer_events' ? 5 : 1);
  const ingest = async (ref: string) => {
    const out = await t.app.get(EventIngestService).ingestEnvelopes(s.tenantId, oneOfEach(ref));
    expect(out.map((o) => o.status)).toEqual(Array(5).fill('accepted'));
    return (await idOf(ref))!;
  };
  const hardDelete = (id: string) => t.request({ method: 'DELETE', url: `/api/v1/customers/${id}?hard=true`, token: s.accessToken });

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it("removes the customer's events, purchases and activity rows, and nobody else's", async () => {
    const gone = await ingest(`erase-${++n}`);
    const kept = await ingest(`erase-${++n}`);
    for (const table of TABLES) expect(await count(table, gone)).toBe(perBatch(table));
    expect((await hardDelete(gone)).statusCode).toBe(204);
    for (const table of TABLES) {
      expect(await count(table, gone)).toBe(0);
      expect(await count(table, kept)).toBe(perBatch(table));
    }
  });

  it("removes the customer's profile history; a change emitted for a customer gone meanwhile is not written", async () => {
    const id = await ingest(`erase-${++n}`);
    const listener = t.app.get(ProfileChangesListener);
    await listener.onApplicationShutdown(); // flushes what the listener holds
    expect(await count('profile_changes', id)).toBe(1); // 'created'
    expect((await hardDelete(id)).statusCode).toBe(204);
    expect(await count('profile_changes', id)).toBe(0);
    const customer = { id, externalId: 'x' } as never;
    listener.onUpdated({ tenantId: s.tenantId, customerId: id, customer, changes: { email: { from: null, to: 'a@example.com' } } });
    const other = await ingest(`erase-${++n}`);
    listener.onUpdated({ tenantId: s.tenantId, customerId: other, customer, changes: { email: { from: null, to: 'b@example.com' } } });
    await listener.onApplicationShutdown();
    expect(await count('profile_changes', id)).toBe(0);
    expect(await count('profile_changes', other)).toBe(2); // 'created', then the update written beside the skipped one
  });

  it('rejects the events of a batch whose customer was hard-deleted after the batch resolved it, writing nothing', async () => {
    const ref = `erase-${++n}`;
    const id = await ingest(ref);
    const tenant = (await t.app.get(TenantDirectory).resolve(s.tenantId))!;
    const items = oneOfEach(ref, '-again').map((raw) => {
      const r = parseEnvelope(raw, { now: new Date() });
      if (!('draft' in r)) throw new Error('test envelope rejected');
      return { tenant, key: r.draft.key!, draft: r.draft, transport: 'rest' as const, subject: null };
    });
    const writer = t.app.get(EventBatchWriter);
    const prepared = await writer.prepare(items);
    expect(prepared.customerOf.get(0)).toBe(id);
    expect((await hardDelete(id)).statusCode).toBe(204);
    const result = await t.app.get(TransactionRunner).run((m) => writer.write(prepared, m));
    expect(result.outcomes.map((o) => o.status)).toEqual(Array(5).fill('rejected'));
    expect(result.outcomes[0]).toMatchObject({ error: { code: 'CUSTOMER_NOT_FOUND' } });
    for (const table of TABLES) expect(await count(table, id)).toBe(0);
  });

  it('a hard delete waits for an ingestion transaction that checked the customer, then removes what it wrote (Postgres)', async () => {
    if (!pg()) return; // SQLite has one writer: the two transactions cannot overlap there.
    const id = await ingest(`erase-${++n}`);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const ingestion = t.app.get(TransactionRunner).run(async (m) => {
      expect([...(await t.app.get(CustomersService).lockExisting(s.tenantId, [id], m))]).toEqual([id]);
      await m.query(
        `INSERT INTO telemetry (id, tenant_id, customer_id, kind, quantity, occurred_at) VALUES (gen_random_uuid(), $1, $2, 'login', 1, now())`,
        [s.tenantId, id],
      );
      locked();
      await held;
    });
    await lockTaken;
    let deleted = false;
    const deletion = hardDelete(id).then((r) => ((deleted = true), r));
    await new Promise((r) => setTimeout(r, 300));
    expect(deleted).toBe(false);
    release();
    await ingestion;
    expect((await deletion).statusCode).toBe(204);
    expect(await count('telemetry', id)).toBe(0);
  });
});
