import { randomBytes, randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { normalisePhone } from '../../src/modules/customers';
import { searchTextOf } from '../../src/modules/customers/customer-search';
import type { Tenant } from '../../src/modules/identity';
import { hashPassword } from '../../src/modules/identity/auth.service';
import type { User } from '../../src/modules/identity/entities/user.entity';
import { bulkInsert } from './bulk-insert';
import { demoCustomer, DemoCustomerRows, DemoNormalisers, DemoPools } from './demo-data';

// Note: this file is imported only after DATABASE_URL is final (entity column types depend on it).

export interface DemoTenant {
  tenantId: string;
  slug: string;
  created: boolean;
  owner: { id: string; email: string; password: string };
}

// SQLite pays per commit (WAL sync, FTS5 segment merges), so it gets bigger transactions.
const CUSTOMERS_PER_TRANSACTION = { postgres: 1000, sqlite: 5000 };

const normalisers: DemoNormalisers = {
  searchTextOf,
  normalisePhone: (p) => {
    try {
      return normalisePhone(p);
    } catch {
      return null;
    }
  },
};

/** Finds or creates the tenant `slug` and its owner; the owner gets a fresh random password each run (printed by callers). */
export async function ensureDemoTenant(ds: DataSource, slug = 'demo'): Promise<DemoTenant> {
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  return ds.transaction(async (m) => {
    let tenant = await m.getRepository<Tenant>('Tenant').findOne({ where: { slug } });
    const created = !tenant;
    if (!tenant) {
      const now = new Date();
      tenant = { id: randomUUID(), name: slug === 'demo' ? 'Demo' : slug, slug, settings: { baseCurrency: 'USD' }, createdAt: now, updatedAt: now } as Tenant;
      await bulkInsert(m, 'Tenant', [tenant]);
    }
    const users = m.getRepository<User>('User');
    let owner = await users.findOne({ where: { tenantId: tenant.id, role: 'owner' }, order: { createdAt: 'ASC' } });
    if (owner) {
      await users.update({ id: owner.id }, { passwordHash });
    } else {
      const email = `owner@${slug}.example.com`;
      if (await users.exists({ where: { email } })) throw new Error(`User ${email} already exists in another tenant; choose another --tenant slug`);
      const now = new Date();
      owner = { id: randomUUID(), tenantId: tenant.id, email, passwordHash, role: 'owner', createdAt: now, updatedAt: now } as User;
      await bulkInsert(m, 'User', [owner]);
    }
    return { tenantId: tenant.id, slug, created, owner: { id: owner.id, email: owner.email, password } };
  });
}

export function countCustomers(ds: DataSource, tenantId: string): Promise<number> {
  return ds.getRepository('Customer').count({ where: { tenantId }, withDeleted: true });
}

/**
 * Adds `count` demo customers (with tags, addresses, notes, preferences and consent history) to the tenant in
 * batched multi-row inserts, one transaction per batch. Calls `onProgress(added)` after each batch; on Postgres
 * call settleAfterBulkLoad when done.
 */
export async function seedCustomers(ds: DataSource, tenant: DemoTenant, count: number, onProgress: (added: number) => void = () => undefined): Promise<void> {
  const pools = new DemoPools(normalisers.normalisePhone);
  const postgres = ds.options.type === 'postgres';
  // Continue numbering after existing customers so emails and external ids stay unique per tenant.
  let n = await countCustomers(ds, tenant.tenantId);
  let added = 0;
  // Sequential on purpose: two concurrent batches on Postgres were slower (they contend on the trigram index).
  while (added < count) {
    const size = Math.min(CUSTOMERS_PER_TRANSACTION[postgres ? 'postgres' : 'sqlite'], count - added);
    const batch: DemoCustomerRows[] = [];
    for (let i = 0; i < size; i++) batch.push(demoCustomer(++n, tenant.tenantId, tenant.owner.id, pools, normalisers));
    await insertBatch(ds, batch);
    added += size;
    onProgress(added);
  }
}

/**
 * After a bulk load on Postgres: flushes the trigram index's pending list (while it is large the planner skips the
 * index) and refreshes statistics, as autovacuum eventually would. Nothing to do on SQLite.
 */
export async function settleAfterBulkLoad(ds: DataSource): Promise<void> {
  if (ds.options.type !== 'postgres') return;
  for (const table of ['customers', 'customer_tags', 'customer_addresses', 'notes', 'customer_preferences', 'consent_changes']) {
    await ds.query(`VACUUM (ANALYZE) ${table}`);
  }
}

function insertBatch(ds: DataSource, batch: DemoCustomerRows[]): Promise<void> {
  return ds.transaction(async (m) => {
    // A bigger pending list lets Postgres merge trigram index entries in large sorted batches (measured ~2x faster
    // loading); settleAfterBulkLoad flushes it.
    if (ds.options.type === 'postgres') await m.query("SET LOCAL gin_pending_list_limit = '32MB'");
    await bulkInsert(m, 'Customer', batch.map((b) => b.customer));
    await bulkInsert(m, 'CustomerTag', batch.flatMap((b) => b.tags));
    await bulkInsert(m, 'Address', batch.flatMap((b) => b.addresses));
    await bulkInsert(m, 'Note', batch.flatMap((b) => b.notes));
    await bulkInsert(m, 'CustomerPreferences', batch.flatMap((b) => (b.preferences ? [b.preferences] : [])));
    await bulkInsert(m, 'ConsentChange', batch.flatMap((b) => b.consents));
  });
}
