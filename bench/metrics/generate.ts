import { Client } from 'pg';

/**
 * Fills the bench database with `customers` customers and `purchases` purchases of one tenant using
 * generate_series. Indexes and the foreign key are dropped for the load and rebuilt afterwards (much faster than
 * maintaining them row by row), then VACUUM ANALYZE sets statistics and the visibility map as autovacuum would.
 * ~7% of purchases are refunded (2% fully), purchases are spread over 3 years in random customer order.
 */
export async function generate(pg: Client, tenantId: string, customers: number, purchases: number, log: (s: string) => void): Promise<void> {
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = Date.now();
    await pg.query(sql, params);
    log(`  ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };
  await step('drop search index', 'DROP INDEX IF EXISTS ix_customers_search_trgm');
  await step(
    `insert ${customers} customers`,
    `INSERT INTO customers (id, tenant_id, email, first_name, last_name, type, status, tags, attributes, search_text, created_at, updated_at, version)
     SELECT gen_random_uuid(), $1, 'c' || g || '@bench.example', 'First' || g, 'Last' || g, 'individual', 'active', '[]'::jsonb, '{}'::jsonb,
            'first' || g || ' last' || g || ' c' || g || '@bench.example', now() - (g % 1000) * interval '1 day', now(), 1
     FROM generate_series(1, $2::int) g`,
    [tenantId, customers],
  );
  await step('rebuild search index', 'CREATE INDEX ix_customers_search_trgm ON customers USING gin (search_text gin_trgm_ops)');
  await step('number customers', `CREATE TEMP TABLE bench_customer AS SELECT row_number() OVER () AS n, id FROM customers WHERE tenant_id = $1`, [tenantId]);
  await pg.query('CREATE UNIQUE INDEX ON bench_customer (n)');

  await step('drop purchase indexes and foreign key', `ALTER TABLE purchases DROP CONSTRAINT fk_purchases_customer;
    DROP INDEX uq_purchases_tenant_order; DROP INDEX ix_purchases_customer_metrics; DROP INDEX ix_purchases_tenant_time_amounts`);
  await step(
    `insert ${purchases} purchases`,
    `INSERT INTO purchases (id, tenant_id, customer_id, order_id, amount_minor, refunded_minor, currency, status, channel, items, occurred_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, c.id, 'o-' || r.g, r.amount,
            CASE WHEN r.kind < 2 THEN r.amount WHEN r.kind < 7 THEN r.amount / 4 ELSE 0 END,
            'USD', CASE WHEN r.kind < 2 THEN 'refunded' WHEN r.kind < 7 THEN 'partially_refunded' ELSE 'completed' END,
            'web', '[]'::jsonb, now() - r.age * interval '1 second', now(), now()
     FROM (SELECT g, 1 + floor(random() * $3::int)::int AS n, 500 + floor(random() * 20000)::bigint AS amount,
                  floor(random() * 100)::int AS kind, floor(random() * 3 * 365 * 86400)::int AS age
           FROM generate_series(1, $2::int) g) r
     JOIN bench_customer c ON c.n = r.n`,
    [tenantId, purchases, customers],
  );
  await step('rebuild uq_purchases_tenant_order', 'CREATE UNIQUE INDEX uq_purchases_tenant_order ON purchases (tenant_id, order_id)');
  await step(
    'rebuild ix_purchases_customer_metrics',
    'CREATE INDEX ix_purchases_customer_metrics ON purchases (tenant_id, customer_id, occurred_at, status, amount_minor, refunded_minor)',
  );
  await step('rebuild ix_purchases_tenant_time_amounts', 'CREATE INDEX ix_purchases_tenant_time_amounts ON purchases (tenant_id, occurred_at, amount_minor, refunded_minor)');
  await step(
    'restore foreign key',
    'ALTER TABLE purchases ADD CONSTRAINT fk_purchases_customer FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE',
  );
  await step('vacuum analyze', 'VACUUM ANALYZE customers, purchases');
}
