import 'reflect-metadata';
import { parseArgs } from 'util';
import { loadAppConfig } from '../src/config/app-config';
import type { Tenant } from '../src/modules/identity';
import { parseRole, parseTtl, signAccessToken } from './support/access-token';
import { fail, openDataSource, runMain } from './support/cli';

const USAGE = 'usage: npm run token -- --tenant <slug|id> [--role viewer|agent|admin|owner] [--ttl 30d]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * npm run token — prints a signed access token for a tenant (subject 'machine'), for scripts and integrations.
 * Only the token goes to stdout, so `TOKEN=$(npm run -s token -- --tenant demo)` works.
 */
async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: { tenant: { type: 'string' }, role: { type: 'string', default: 'agent' }, ttl: { type: 'string', default: '30d' } },
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (!args.tenant) fail(`--tenant is required\n${USAGE}`);
  const role = parseRole(args.role!);
  const ttl = parseTtl(args.ttl!);
  const config = loadAppConfig();
  const ds = await openDataSource(config);
  let tenant: Tenant | null;
  try {
    const repo = ds.getRepository<Tenant>('Tenant');
    const where = UUID.test(args.tenant) ? [{ id: args.tenant }, { slug: args.tenant }] : [{ slug: args.tenant }];
    tenant = await repo.findOne({ where }).catch((e: Error) => {
      throw new Error(`Cannot read tenants (${e.message}); has the database been migrated? Run: npm run migration:run`);
    });
  } finally {
    await ds.destroy();
  }
  if (!tenant) fail(`Unknown tenant "${args.tenant}": no tenant has this slug or id.`);
  process.stdout.write(`${signAccessToken(config.jwt.secret, { sub: 'machine', tenantId: tenant.id, role }, ttl)}\n`);
  process.stderr.write(`(tenant ${tenant.slug} ${tenant.id}, role ${role}, expires in ${args.ttl})\n`);
}

runMain(main);
