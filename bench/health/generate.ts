import { Client } from 'pg';

export interface GenerateOptions {
  customers: number;
  days: number;
  /** Chance per customer and day of a usage row. */
  usageRate: number;
  /** Chance per customer and day of a login. */
  loginRate: number;
  /** Tickets per customer over the whole window. */
  ticketRate: number;
  /** Purchases per customer over the last year. */
  purchaseRate: number;
}

const log = (msg: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const out = await work();
  log(`${label} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return out;
}

/** Secondary indexes of the loaded tables: dropped for the bulk load, rebuilt after (much faster than row by row). */
async function secondaryIndexes(c: Client, tables: string[]): Promise<Array<{ name: string; def: string }>> {
  const { rows } = await c.query(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.tablename = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)`,
    [tables],
  );
  return rows;
}

/**
 * Fills customers, telemetry (time-ordered, as events arrive), support_tickets and purchases for one tenant with
 * generate_series. Each customer has an "intensity" so scores spread over all three bands.
 */
export async function generate(c: Client, tenantId: string, o: GenerateOptions): Promise<void> {
  const tables = ['customers', 'customer_tags', 'telemetry', 'support_tickets', 'purchases'];
  const indexes = await secondaryIndexes(c, tables);
  for (const ix of indexes) await c.query(`DROP INDEX ${ix.name}`);
  // telemetry's random-uuid primary key is the slowest index to keep up row by row: rebuilt in one pass after.
  const pk = (await c.query("SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'telemetry'::regclass AND contype = 'p'")).rows[0];
  await c.query(`ALTER TABLE telemetry DROP CONSTRAINT "${pk.conname}"`);
  await c.query(`SET work_mem = '256MB'`);
  // The rows are consistent by construction: skip the per-row foreign-key triggers while loading.
  await c.query('SET session_replication_role = replica');
  await c.query(`SET maintenance_work_mem = '512MB'`);
  await timed(`customers: ${o.customers}`, () =>
    c.query(
      `INSERT INTO customers (id, tenant_id, external_id, email, first_name, last_name, type, status, tags, attributes, source, search_text,
         last_seen_at, created_at, updated_at, deleted_at, version)
       SELECT gen_random_uuid(), $1, 'ext-' || g, 'c' || g || '@bench.example', 'First' || g, 'Last' || g, 'individual', 'active', '[]', '{}',
         'bench', 'first' || g || ' last' || g || ' c' || g || '@bench.example', now() - random() * interval '60 days',
         now() - (g % 730) * interval '1 day' - random() * interval '1 day', now(), NULL, 1
       FROM generate_series(1, $2::int) g`,
      [tenantId, o.customers],
    ),
  );
  await c.query('CREATE TEMP TABLE bench_intensity AS SELECT id AS customer_id, random() AS k FROM customers WHERE tenant_id = $1', [tenantId]);
  const at = `date_trunc('day', now()) - $2 * interval '1 day' + random() * LEAST(interval '1 day', now() - date_trunc('day', now()) + $2 * interval '1 day')`;
  for (let d = o.days - 1; d >= 0; d--) {
    // Day by day, so the heap is in time order like real ingestion.
    await timed(`telemetry day -${d}`, async () => {
      await c.query(
        `INSERT INTO telemetry (id, tenant_id, customer_id, kind, quantity, period, occurred_at, event_id)
         SELECT gen_random_uuid(), $1, customer_id, 'usage', (1 + random() * 500 * k)::int, NULL, ${at}, NULL
         FROM bench_intensity WHERE random() < $3 * (0.3 + k)`,
        [tenantId, d, o.usageRate],
      );
      await c.query(
        `INSERT INTO telemetry (id, tenant_id, customer_id, kind, quantity, period, occurred_at, event_id)
         SELECT gen_random_uuid(), $1, customer_id, 'login', 1, NULL, ${at}, NULL
         FROM bench_intensity WHERE random() < $3 * (0.2 + 1.6 * k)`,
        [tenantId, d, o.loginRate],
      );
    });
  }
  await timed('support tickets', () =>
    c.query(
      `INSERT INTO support_tickets (id, tenant_id, customer_id, ticket_id, subject, severity, status, opened_at, closed_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, i.customer_id, 'T-' || n, 'Bench ticket', (ARRAY['low','low','low','medium','medium','high','critical'])[1 + (random() * 6)::int],
         CASE WHEN random() < 0.3 THEN 'open' ELSE 'closed' END, now() - random() * $3 * interval '1 day', NULL, now(), now()
       FROM (SELECT customer_id, row_number() OVER () AS n FROM bench_intensity WHERE random() < $2 * (1.5 - k)) i`,
      [tenantId, o.ticketRate, o.days],
    ),
  );
  await timed('purchases', () =>
    c.query(
      `INSERT INTO purchases (id, tenant_id, customer_id, order_id, amount_minor, refunded_minor, currency, status, channel, items, occurred_at, created_at, updated_at)
       SELECT gen_random_uuid(), $1, i.customer_id, 'O-' || n, (500 + random() * 20000)::bigint, 0, 'USD', 'completed', 'web', '[]',
         now() - random() * interval '365 days', now(), now()
       FROM (SELECT customer_id, row_number() OVER () AS n FROM bench_intensity, generate_series(1, 3) s WHERE random() < $2 / 3.0) i`,
      [tenantId, o.purchaseRate],
    ),
  );
  await c.query('SET session_replication_role = DEFAULT');
  await timed('telemetry primary key', () => c.query(`ALTER TABLE telemetry ADD CONSTRAINT "${pk.conname}" ${pk.def}`));
  for (const ix of indexes) await timed(`index ${ix.name}`, () => c.query(ix.def));
  await timed('vacuum analyze', () => c.query(`VACUUM ANALYZE ${tables.join(', ')}`));
}
