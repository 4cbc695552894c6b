/**
 * bench/health: health-score recompute at scale on Postgres.
 *   npm run build && npm run bench:health -- --customers 1000000
 * Creates its own database (ciq_bench_health), fills it with generate_series, then in one run times
 *   1. a bare SQL aggregate computing the three components for every customer (the baseline),
 *   2. a full recompute through the real job path (POST /health-score/recompute -> job -> processor), twice:
 *      first run (scores inserted) and steady state (scores updated),
 *   3. GET /api/v1/analytics/overview p95 (uncached) with autocannon,
 * and prints each figure and the ratios. Flags: --customers N --days N --usage-rate --login-rate --ticket-rate
 * --purchase-rate --reuse (keep existing data) --keep (do not drop the database) --base-url postgres://...
 * --redis redis://... (run jobs on BullMQ instead of the in-process runner) --duration S (autocannon).
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Client } from 'pg';
import { generate } from './generate';
import { bareAggregate, measureOverview, runRecompute } from './measure';

function args(): Record<string, string> {
  const out: Record<string, string> = {};
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    if (!a[i].startsWith('--')) continue;
    const next = a[i + 1];
    out[a[i].slice(2)] = next && !next.startsWith('--') ? (i++, next) : 'true';
  }
  return out;
}

async function main(): Promise<void> {
  const f = args();
  const base = f['base-url'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = f.db ?? 'ciq_bench_health';
  const customers = Number(f.customers ?? 1_000_000);
  const admin = new Client({ connectionString: base });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount === 1;
  const reuse = f.reuse === 'true' && exists;
  if (!reuse) {
    if (exists) await admin.query(`DROP DATABASE ${dbName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${dbName}`);
  }
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  // Entities read the driver from DATABASE_URL when they load: set it before the app is imported.
  process.env.DATABASE_URL = url.toString();
  const { buildAppConfig, useAppConfig } = await import('../../src/config/app-config');
  const config = buildAppConfig({
    NODE_ENV: 'production', CRM_ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', DATABASE_URL: url.toString(), DATA_DIR: mkdtempSync(join(tmpdir(), 'ciq-bench-')), LOG_LEVEL: 'warn',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', JWT_ACCESS_TTL_SECONDS: '86400', RATE_LIMIT_PER_MINUTE: '1000000',
    ANALYTICS_CACHE_SECONDS: '0', ...(f.redis ? { REDIS_URL: f.redis, QUEUE_PREFIX: `ciqbench_${process.pid}` } : {}),
  });
  useAppConfig(config);
  const { createApp } = await import('../../src/app.factory');
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = await app.getUrl();
  const http = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${baseUrl.replace('[::1]', '127.0.0.1')}/api/v1${path}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  let tenantId: string;
  let token: string;
  const email = 'bench-owner@bench.example';
  if (reuse) {
    token = (await http('POST', '/auth/login', undefined, { email, password: 'bench password 123' })).body.accessToken;
    tenantId = (await db.query('SELECT tenant_id FROM users WHERE email = $1', [email])).rows[0].tenant_id;
    process.stdout.write(`reusing ${dbName}\n`);
  } else {
    const reg = await http('POST', '/auth/register', undefined, { tenantName: 'Bench', email, password: 'bench password 123' });
    [tenantId, token] = [reg.body.tenant.id, reg.body.accessToken];
    await generate(db, tenantId, {
      customers, days: Number(f.days ?? 30), usageRate: Number(f['usage-rate'] ?? 0.6), loginRate: Number(f['login-rate'] ?? 0.4),
      ticketRate: Number(f['ticket-rate'] ?? 0.1), purchaseRate: Number(f['purchase-rate'] ?? 1),
    });
  }
  const counts = (await db.query(
    `SELECT (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM telemetry) AS telemetry,
            (SELECT COUNT(*) FROM support_tickets) AS tickets, (SELECT COUNT(*) FROM purchases) AS purchases`,
  )).rows[0];
  process.stdout.write(`data: ${JSON.stringify(counts)}\n`);

  const results: string[] = [];
  const bare1 = await bareAggregate(db, tenantId);
  const first = await runRecompute(http, token);
  const bare2 = await bareAggregate(db, tenantId);
  const steady = await runRecompute(http, token);
  const bare = Math.min(bare1.ms, bare2.ms);
  results.push(`bare SQL aggregate (3 components, ${bare1.customers} customers): ${(bare / 1000).toFixed(2)} s (runs: ${(bare1.ms / 1000).toFixed(2)}, ${(bare2.ms / 1000).toFixed(2)})`);
  results.push(`full recompute via job, first run (inserts): ${(first.ms / 1000).toFixed(2)} s  ratio ${(first.ms / bare).toFixed(2)} x bare  (${first.customers} customers)`);
  results.push(`full recompute via job, steady state (updates): ${(steady.ms / 1000).toFixed(2)} s  ratio ${(steady.ms / bare).toFixed(2)} x bare`);
  const ov = await measureOverview(`${baseUrl.replace('[::1]', '127.0.0.1')}/api/v1/analytics/overview`, token, Number(f.duration ?? 15));
  results.push(`GET /api/v1/analytics/overview uncached: p50 ${ov.p50} ms, p95 ${ov.p95} ms, p99 ${ov.p99} ms over ${ov.requests} requests (${ov.connections} connections)`);
  process.stdout.write(`\n== bench/health (${customers} customers) ==\n${results.join('\n')}\n`);
  await db.end();
  await app.close();
  if (f.keep !== 'true' && f.reuse !== 'true') {
    const drop = new Client({ connectionString: base });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await drop.end();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
