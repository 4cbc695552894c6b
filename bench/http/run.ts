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
import { drive, LoadStats } from './load';

const USAGE =
  'usage: npm run bench:http -- [--customers 100000] [--seconds 10] [--rounds 2] [--warmup 15] [--connections 10] [--log-level info] [--server postgres://postgres@127.0.0.1:5432/test]';
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
async function startServer(name: string, script: string, port: number, env: Record<string, string>, children: ChildProcess[]): Promise<{ url: string; pid: number }> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    const ok = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    if (ok) return { url: base, pid: child.pid! };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${name} did not answer ${base}/health within 30 s`);
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];

const HEADERS = ['req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'cpu ms/req', 'failures'];
const WIDTHS = [8, 8, 8, 8, 12, 10];
const line = (label: string, cells: string[]): string => label.padEnd(18) + cells.map((c, i) => c.padStart(WIDTHS[i])).join('');

function row(label: string, r: LoadStats): string {
  const f1 = (v: number) => v.toFixed(1);
  return line(label, [r.rps.toFixed(0), f1(r.percentile(50)), f1(r.percentile(95)), f1(r.percentile(99)), r.cpuPerRequest.toFixed(2), String(r.failures)]);
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
        rounds: { type: 'string', default: '2' },
        warmup: { type: 'string', default: '15' },
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
  const rounds = Number(args.rounds);
  const warmup = Number(args.warmup);
  const connections = Number(args.connections);
  if (![customers, seconds, rounds, warmup, connections].every((n) => Number.isInteger(n) && n > 0)) fail(`--customers, --seconds, --rounds, --warmup and --connections take positive whole numbers\n${USAGE}`);

  const data = await prepareBenchDatabase(args.server, customers);
  const children: ChildProcess[] = [];
  const stopAll = () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM'));
  process.once('exit', stopAll);
  try {
    const [appPort, barePort] = [await freePort(), await freePort()];
    const app = await startServer('app', join(DIST, 'src', 'main.js'), appPort, {
      NODE_ENV: 'production', CRM_ENCRYPTION_KEY: '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', PORT: String(appPort), DATABASE_URL: data.url, JWT_SECRET: BENCH_JWT_SECRET, LOG_LEVEL: args['log-level'],
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
    // Long enough for V8 to optimise the hot paths of both servers before anything is measured (on a busy machine
    // its background compiler threads get little CPU: give it more --warmup).
    const warm = { seconds: warmup, connections };

    print(`\nCustomerIQ HTTP bench: ${customers} customers (${BENCH_DATABASE}), ${connections} connections, ${rounds} x ${seconds} s per run, app LOG_LEVEL=${args['log-level']}`);
    const runs = [
      { label: 'id lookup, bare', target: bare, path: byId },
      { label: 'id lookup, nest', target: app, path: byId },
      { label: 'search, bare', target: bare, path: search },
      { label: 'search, nest', target: app, path: search },
    ].map((r) => ({ ...r, stats: new LoadStats() }));
    for (const r of runs) await drive(null, r.target, r.path, { ...warm, headers });
    // Rounds interleave the servers so a burst of other load on the machine hits both alike.
    for (let round = 0; round < rounds; round++) for (const r of runs) await drive(r.stats, r.target, r.path, { ...load, headers });
    const [bareId, nestId, , nestSearch] = runs.map((r) => r.stats);
    print(`\n${line('run', HEADERS)}`);
    for (const r of runs) print(row(r.label, r.stats));
    const idRatio = nestId.rps / bareId.rps;
    const searchRatio = nestSearch.percentile(95) / nestId.percentile(95);
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    print('');
    print(`nest/bare req/s, id lookup:          ${idRatio.toFixed(2)}  (target >= 0.6: ${verdict(idRatio >= 0.6)})`);
    print(`search p95 / id-lookup p95 (nest):   ${searchRatio.toFixed(2)}  (target <= 10: ${verdict(searchRatio <= 10)})`);
    print(`search p99 (nest):                   ${nestSearch.percentile(99).toFixed(1)} ms  (target < 100 ms: ${verdict(nestSearch.percentile(99) < 100)})`);
    print(`bare/nest server CPU per id lookup:  ${(bareId.cpuPerRequest / nestId.cpuPerRequest).toFixed(2)}  (the req/s ratio if CPU were the only limit)`);
    const failures = runs.reduce((n, r) => n + r.stats.failures, 0);
    if (failures > 0) fail(`${failures} requests failed (non-2xx or socket errors): the figures above are not trustworthy.`);
  } finally {
    stopAll();
  }
}

runMain(main);
