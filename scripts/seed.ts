import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { parseArgs } from 'util';
import { loadAppConfig } from '../src/config/app-config';
import { signAccessToken } from './support/access-token';
import { describeDatabase, fail, openDataSource, print, runMain } from './support/cli';

const USAGE = 'usage: npm run seed -- [--customers 1000] [--tenant demo]';
const OWNER_TOKEN_TTL_SECONDS = 30 * 86400;

/**
 * npm run seed — a demo tenant with an owner and realistic customers (faker), loaded in batched multi-row inserts.
 * Runs pending migrations first. Re-running adds more customers to the same tenant.
 */
async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({ options: { customers: { type: 'string', default: '1000' }, tenant: { type: 'string', default: 'demo' } } }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  const count = Number(args.customers);
  if (!Number.isInteger(count) || count < 0 || count > 10_000_000) fail(`Invalid --customers "${args.customers}": a whole number up to 10000000\n${USAGE}`);
  if (!/^[a-z0-9-]{1,60}$/.test(args.tenant!)) fail(`Invalid --tenant "${args.tenant}": lower-case letters, digits and dashes`);
  const config = loadAppConfig();
  const ds = await openDataSource(config);
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    if (ran.length) print(`Applied ${ran.length} migration(s).`);
    const { ensureDemoTenant, seedCustomers, countCustomers, settleAfterBulkLoad } = await import('./support/demo-seed');
    const tenant = await ensureDemoTenant(ds, args.tenant);
    print(`${tenant.created ? 'Created' : 'Reusing'} tenant "${tenant.slug}" (${tenant.tenantId}) in ${describeDatabase(config)}`);
    const started = Date.now();
    const bar = new SingleBar({ format: 'customers [{bar}] {value}/{total} {percentage}% | {eta_formatted} left', etaBuffer: 20 }, Presets.shades_classic);
    bar.start(count, 0);
    await seedCustomers(ds, tenant, count, (added) => bar.update(added));
    bar.stop();
    const inserted = Date.now();
    await settleAfterBulkLoad(ds);
    const total = await countCustomers(ds, tenant.tenantId);
    const secs = (from: number, to: number) => ((to - from) / 1000).toFixed(1);
    print(`Added ${count} customers in ${secs(started, Date.now())} s (inserts ${secs(started, inserted)} s, VACUUM ANALYZE ${secs(inserted, Date.now())} s); the tenant now has ${total}.`);
    print('');
    print(`Owner email:    ${tenant.owner.email}`);
    print(`Owner password: ${tenant.owner.password}`);
    print(`Owner token (30 days): ${signAccessToken(config.jwt.secret, { sub: tenant.owner.id, tenantId: tenant.tenantId, role: 'owner' }, OWNER_TOKEN_TTL_SECONDS)}`);
  } finally {
    await ds.destroy();
  }
}

runMain(main);
