import { tmpdir } from 'os';
import { Presets, SingleBar } from 'cli-progress';
import { DataSource } from 'typeorm';
import { buildAppConfig } from '../../src/config/app-config';
import { openDataSource, print } from '../../scripts/support/cli';
import { createDatabase, databaseExists, dropDatabase, withDatabase } from '../../scripts/support/postgres-admin';

export const BENCH_DATABASE = 'ciq_bench';
export const BENCH_TENANT = 'bench';
export const BENCH_JWT_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

export interface BenchData {
  url: string;
  tenantId: string;
  ids: string[];
  fragments: string[];
}

/**
 * The bench database with exactly `customers` demo customers in tenant 'bench', seeded with the same code as
 * `npm run seed`. Existing data is reused when the count matches, topped up when lower, rebuilt when higher.
 */
export async function prepareBenchDatabase(serverUrl: string, customers: number): Promise<BenchData> {
  const url = withDatabase(serverUrl, BENCH_DATABASE);
  if (!(await databaseExists(serverUrl, BENCH_DATABASE))) await createDatabase(serverUrl, BENCH_DATABASE);
  // Entity column types follow DATABASE_URL when the entity files load (during openDataSource / the seed import).
  process.env.DATABASE_URL = url;
  const config = buildAppConfig({ DATABASE_URL: url, JWT_SECRET: BENCH_JWT_SECRET, DATA_DIR: tmpdir() });
  let ds = await openDataSource(config);
  try {
    await ds.runMigrations({ transaction: 'each' });
    const seed = await import('../../scripts/support/demo-seed');
    let tenant = await seed.ensureDemoTenant(ds, BENCH_TENANT);
    let have = await seed.countCustomers(ds, tenant.tenantId);
    if (have > customers) {
      print(`${BENCH_DATABASE} holds ${have} customers, more than ${customers}: rebuilding it.`);
      await ds.destroy();
      await dropDatabase(serverUrl, BENCH_DATABASE);
      await createDatabase(serverUrl, BENCH_DATABASE);
      ds = await openDataSource(config);
      await ds.runMigrations({ transaction: 'each' });
      tenant = await seed.ensureDemoTenant(ds, BENCH_TENANT);
      have = 0;
    }
    if (have < customers) {
      print(`Seeding ${customers - have} customers into ${BENCH_DATABASE} (has ${have})...`);
      const bar = new SingleBar({ format: 'seed [{bar}] {value}/{total} | {eta_formatted} left', etaBuffer: 20 }, Presets.shades_classic);
      bar.start(customers - have, 0);
      const started = Date.now();
      await seed.seedCustomers(ds, tenant, customers - have, (n) => bar.update(n));
      bar.stop();
      await seed.settleAfterBulkLoad(ds);
      print(`Seeded in ${((Date.now() - started) / 1000).toFixed(1)} s (VACUUM ANALYZE included).`);
    } else {
      print(`Reusing ${BENCH_DATABASE}: ${have} customers already seeded.`);
    }
    return { url, tenantId: tenant.tenantId, ...(await sample(ds, tenant.tenantId)) };
  } finally {
    await ds.destroy();
  }
}

/** Random existing customer ids, and 3-6 letter fragments of real names (what people type into a search box). */
async function sample(ds: DataSource, tenantId: string): Promise<{ ids: string[]; fragments: string[] }> {
  const rows: Array<{ id: string; first_name: string | null; last_name: string | null }> = await ds.query(
    'SELECT id, first_name, last_name FROM customers WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY random() LIMIT 5000',
    [tenantId],
  );
  const fragments = rows.flatMap((r) => [r.first_name, r.last_name]).filter((s): s is string => !!s && s.length >= 3).map((name) => {
    const len = Math.min(name.length, 3 + Math.floor(Math.random() * 4));
    const start = Math.floor(Math.random() * (name.length - len + 1));
    return name.slice(start, start + len).toLowerCase();
  });
  return { ids: rows.map((r) => r.id), fragments };
}
