import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { bulkInsert, BulkInsertSpec } from '../../src/infra/database';
import { registerTenant, TenantSession } from '../factories/tenant.factory';
import { createTestApp, TestApp } from '../support/test-app';

// bulkInsert is the write path of ingestion. On Postgres its timestamps travel as epoch milliseconds inside the JSON
// document (to_timestamp on the way in): they must come back exactly, whatever form the caller gave them in.
describe('bulkInsert (real database)', () => {
  let t: TestApp;
  let s: TenantSession;
  let ds: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    s = await registerTenant(t);
    ds = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const spec = (onConflict: BulkInsertSpec['onConflict']): BulkInsertSpec => ({
    table: 'contacts',
    columns: [
      { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'channel', kind: 'text' },
      { name: 'direction', kind: 'text' }, { name: 'summary', kind: 'text' }, { name: 'occurred_at', kind: 'timestamp' }, { name: 'event_id', kind: 'uuid' },
    ],
    onConflict,
    returning: ['id'],
  });
  const read = async (ids: string[]) => {
    const p = ds.options.type === 'postgres' ? ids.map((_, i) => `$${i + 1}`) : ids.map(() => '?');
    const rows = (await ds.query(`SELECT id, occurred_at, summary FROM contacts WHERE id IN (${p.join(', ')})`, ids)) as Array<{ id: string; occurred_at: string | Date; summary: string }>;
    // SQLite keeps UTC text without a zone; Postgres returns a Date.
    const at = (v: string | Date) => (v instanceof Date ? v : new Date(`${v.replace(' ', 'T')}Z`)).toISOString();
    return new Map(rows.map((r) => [r.id, { at: at(r.occurred_at), summary: r.summary }]));
  };

  it('stores Dates and ISO strings to the millisecond, and leaves the caller rows as they were', async () => {
    const customerId = randomUUID();
    const rows = [
      new Date('2026-03-01T10:20:30.123Z'), new Date('1999-12-31T23:59:59.999Z'), '2026-07-04T00:00:00.001Z', new Date('2026-11-29T12:00:00.000Z'),
    ].map((occurredAt, i) => ({
      id: randomUUID(), tenant_id: s.tenantId, customer_id: customerId, channel: 'email', direction: 'inbound', summary: `c${i}`, occurred_at: occurredAt, event_id: null,
    }));
    const before = rows.map((r) => r.occurred_at);
    const inserted = await bulkInsert<{ id: string }>(ds.manager, spec('ignore'), rows);
    expect(inserted).toHaveLength(4);
    expect(rows.map((r) => r.occurred_at)).toEqual(before);
    const stored = await read(rows.map((r) => r.id));
    expect(rows.map((r) => stored.get(r.id)!.at)).toEqual(['2026-03-01T10:20:30.123Z', '1999-12-31T23:59:59.999Z', '2026-07-04T00:00:00.001Z', '2026-11-29T12:00:00.000Z']);
  });

  it('an upsert sets the new timestamp; an ignored conflict keeps the stored row', async () => {
    const id = randomUUID();
    const row = (summary: string, at: string) => ({ id, tenant_id: s.tenantId, customer_id: randomUUID(), channel: 'sms', direction: 'outbound', summary, occurred_at: new Date(at), event_id: null });
    await bulkInsert(ds.manager, spec('ignore'), [row('first', '2026-01-01T00:00:00.250Z')]);
    expect(await bulkInsert(ds.manager, spec('ignore'), [row('second', '2026-02-01T00:00:00.500Z')])).toEqual([]);
    expect((await read([id])).get(id)).toEqual({ at: '2026-01-01T00:00:00.250Z', summary: 'first' });
    await bulkInsert(ds.manager, spec({ target: ['id'], set: { occurred_at: 'excluded.occurred_at', summary: 'excluded.summary' } }), [row('third', '2026-03-01T08:09:10.011Z')]);
    expect((await read([id])).get(id)).toEqual({ at: '2026-03-01T08:09:10.011Z', summary: 'third' });
  });
});
