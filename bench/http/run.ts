import 'reflect-metadata';
import { ChildProcess, spawn } from 'child_process';
import { mkdtempSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseArgs } from 'util';
import { signAccessToken } from '../../scripts/support/access-token';
import { fail, print, runMain } from '../../scripts/support/cli';
import { BENCH_DATABASE, BENCH_JWT_SECRET, prepareBenchDatabase } from './bench-database';
import { drive, LoadResult } from './load';

const USAGE = 'usage: npm run bench:http -- [--customers 100000] [--seconds 10] [--connections 10] [--log-level info] [--server postgres://postgres@127.0.0.1:5432/test]';
const DIST = join(__dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `script` under node with `env` and waits until GET /health answers. */
async function startServer(name: string, script: string, port: number, env: Record<string, string>, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) return base;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer ${base}/health within 30 s`);
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const ms = (v: number): string => v.toFixed(1).padStart(8);

function row(label: string, r: LoadResult): string {
  return `${label.padEnd(22)}${r.rps.toFixed(0).padStart(8)}${ms(r.p50)}${ms(r.p95)}${ms(r.p99)}${String(r.failures).padStart(9)}`;
}

/**
 * npm run bench:http — the real app (node dist/src/main.js) against a bare fastify + pg server running the same
 * queries, both on the seeded Postgres bench database, driven in turn by autocannon. Prints req/s and latency
 * percentiles for GET /customers/:id and GET /customers?q=, and the ratios the foundation issue sets targets for.
 */
async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        customers: { type: 'string', default: '100000' },
        seconds: { type: 'string', default: '10' },
        connections: { type: 'string', default: '10' },
        'log-level': { type: 'string', default: 'info' },
        server: { type: 'string', default: process.env.BENCH_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
      },
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  const customers = Number(args.customers);
  const seconds = Number(args.seconds);
  const connections = Number(args.connections);
  if (![customers, seconds, connections].every((n) => Number.isInteger(n) && n > 0)) fail(`--customers, --seconds and --connections take positive whole numbers\n${USAGE}`);

  const data = await prepareBenchDatabase(args.server, customers);
  const children: ChildProcess[] = [];
  const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM'));
  process.once('exit', stopAll);
  try {
    const [appPort, barePort] = [await freePort(), await freePort()];
    const app = await startServer('app', join(DIST, 'src', 'main.js'), appPort, {
      NODE_ENV: 'production', PORT: String(appPort), DATABASE_URL: data.url, JWT_SECRET: BENCH_JWT_SECRET, LOG_LEVEL: args['log-level'],
      RATE_LIMIT_PER_MINUTE: '1000000', DATA_DIR: mkdtempSync(join(tmpdir(), 'ciq-bench-')), REDIS_URL: '', NATS_URL: '',
    }, children);
    const bare = await startServer('bare server', join(__dirname, 'bare-server.js'), barePort, {
      BARE_DATABASE_URL: data.url, BARE_PORT: String(barePort), BARE_TENANT_ID: data.tenantId,
    }, children);
    const token = signAccessToken(BENCH_JWT_SECRET, { sub: 'machine', tenantId: data.tenantId, role: 'viewer' }, 3600);
    const headers = { authorization: `Bearer ${token}` };
    const byId = () => `/api/v1/customers/${pick(data.ids)}`;
    const search = () => `/api/v1/customers?q=${encodeURIComponent(pick(data.fragments))}`;
    const load = { seconds, connections };
    // Long enough for V8 to optimise the hot paths of both servers before anything is measured.
    const warm = { seconds: 5, connections };

    print(`\nCustomerIQ HTTP bench: ${customers} customers (${BENCH_DATABASE}), ${connections} connections, ${seconds} s per run, app LOG_LEVEL=${args['log-level']}`);
    for (const [base, path] of [[bare, byId], [app, byId], [bare, search], [app, search]] as const) await drive(base, path, { ...warm, headers });
    const results = {
      bareId: await drive(bare, byId, { ...load, headers }),
      nestId: await drive(app, byId, { ...load, headers }),
      bareSearch: await drive(bare, search, { ...load, headers }),
      nestSearch: await drive(app, search, { ...load, headers }),
    };
    print(`\n${'run'.padEnd(22)}${'req/s'.padStart(8)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'failures'.padStart(9)}`);
    print(row('id lookup, bare', results.bareId));
    print(row('id lookup, nest', results.nestId));
    print(row('search, bare', results.bareSearch));
    print(row('search, nest', results.nestSearch));
    const idRatio = results.nestId.rps / results.bareId.rps;
    const searchRatio = results.nestSearch.p95 / results.nestId.p95;
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    print('');
    print(`nest/bare req/s, id lookup:          ${idRatio.toFixed(2)}  (target >= 0.6: ${verdict(idRatio >= 0.6)})`);
    print(`search p95 / id-lookup p95 (nest):   ${searchRatio.toFixed(2)}  (target <= 10: ${verdict(searchRatio <= 10)})`);
    print(`search p99 (nest):                   ${results.nestSearch.p99.toFixed(1)} ms  (target < 100 ms: ${verdict(results.nestSearch.p99 < 100)})`);
    const failures = Object.values(results).reduce((n, r) => n + r.failures, 0);
    if (failures > 0) fail(`${failures} requests failed (non-2xx or socket errors): the figures above are not trustworthy.`);
  } finally {
    stopAll();
  }
}

runMain(main);
