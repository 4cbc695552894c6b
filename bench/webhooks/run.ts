import 'reflect-metadata';
import { ChildProcess, spawn } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseArgs } from 'util';
import { Client } from 'pg';
import Redis from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bareLoop } from './bare-loop';

const USAGE =
  'usage: npm run bench:webhooks -- [--events 20000] [--rounds 4] [--concurrency 16] [--warmup 1000] [--mode bullmq|embedded] [--database sqlite|postgres://...] [--redis redis://127.0.0.1:6379]';
const out = (s: string): void => void process.stdout.write(`${s}\n`);

function startReceiver(children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, [join(__dirname, 'receiver.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`receiver exited (${code})`)));
    child.stdout!.once('data', (d: Buffer) => resolve(`http://127.0.0.1:${String(d).trim()}`));
  });
}

async function receiverCount(base: string): Promise<{ count: number; distinct: number }> {
  return (await fetch(`${base}/count`)).json() as Promise<{ count: number; distinct: number }>;
}

/** A database of its own: a temp SQLite file, or a new database next to the given Postgres URL. */
async function benchDatabase(spec: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!spec.startsWith('postgres')) {
    const dir = mkdtempSync(join(tmpdir(), 'ciq-bench-wh-'));
    return { url: `sqlite:${join(dir, 'bench.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `ciq_bench_wh_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: spec });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(spec);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: spec });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** BENCH_DEBUG: time spent per kind of SQL statement during the delivery-path phase. */
function timeQueries(): Map<string, { ms: number; n: number }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runners = [require('typeorm/driver/better-sqlite3/BetterSqlite3QueryRunner').BetterSqlite3QueryRunner, require('typeorm/driver/postgres/PostgresQueryRunner').PostgresQueryRunner];
  const times = new Map<string, { ms: number; n: number }>();
  for (const R of runners) {
    const orig = R.prototype.query;
    R.prototype.query = async function (this: unknown, sql: string, ...rest: unknown[]) {
      const t = performance.now();
      try {
        return await orig.call(this, sql, ...rest);
      } finally {
        const key = sql.replace(/\s+/g, ' ').slice(0, 70);
        const e = times.get(key) ?? { ms: 0, n: 0 };
        e.ms += performance.now() - t;
        e.n++;
        times.set(key, e);
      }
    };
  }
  return times;
}

/** BENCH_PROFILE=<file>: CPU profile of the delivery-path phase only. */
async function startProfile(): Promise<() => Promise<void>> {
  const { Session } = await import('inspector');
  const { writeFileSync } = await import('fs');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((res, rej) => session.post(method, params ?? {}, (e, r) => (e ? rej(e) : res(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = await post('Profiler.stop');
    writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
    session.disconnect();
  };
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * npm run bench:webhooks — N domain events through the real delivery path (in-process event -> webhook publisher
 * -> delivery row -> BullMQ job -> worker -> signed POST -> recorded answer) to a local receiver in another
 * process, then a bare Node loop POSTing the same N bodies with the same concurrency. Prints deliveries/s of
 * both and the ratio.
 */
async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      events: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '4' },
      concurrency: { type: 'string', default: '16' },
      warmup: { type: 'string', default: '1000' },
      mode: { type: 'string', default: 'bullmq' },
      database: { type: 'string', default: 'sqlite' },
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    },
  });
  const events = Number(args.events);
  const rounds = Number(args.rounds);
  const warmup = Number(args.warmup);
  const mode = args.mode;
  // Embedded mode runs one job at a time, so its fair baseline is one request at a time.
  const concurrency = mode === 'embedded' ? 1 : Number(args.concurrency);
  if (![events, warmup, concurrency, rounds].every((n) => Number.isInteger(n) && n >= 0) || rounds < 1 || !['bullmq', 'embedded'].includes(mode!)) throw new Error(USAGE);

  const children: ChildProcess[] = [];
  const db = await benchDatabase(args.database!);
  const prefix = `ciqbench${randomBytes(4).toString('hex')}`;
  let app: NestFastifyApplication | undefined;
  try {
    const receiver = await startReceiver(children);
    process.env.DATABASE_URL = db.url;
    const { buildAppConfig, useAppConfig } = await import('../../src/config/app-config');
    const config = buildAppConfig({
      NODE_ENV: 'development',
      DATABASE_URL: db.url,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'ciq-bench-data-')),
      JWT_SECRET: randomBytes(32).toString('hex'),
      CRM_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: '1000000',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_CONCURRENCY: String(concurrency),
      ...(mode === 'bullmq' ? { REDIS_URL: args.redis!, QUEUE_PREFIX: prefix } : {}),
    });
    useAppConfig(config);
    const { createApp } = await import('../../src/app.factory');
    const { DomainEventBus } = await import('../../src/infra/domain-events');
    const { DataSource } = await import('typeorm');
    app = await createApp(config, { logger: false });
    await app.init();
    const reg = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { tenantName: 'Bench', email: `bench-${prefix}@example.com`, password: 'bench password 1' } });
    const { accessToken, tenant } = reg.json() as { accessToken: string; tenant: { id: string } };
    const hook = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: { authorization: `Bearer ${accessToken}` }, payload: { url: `${receiver}/hook`, events: ['event.ingested'] } });
    if (hook.statusCode !== 201) throw new Error(`webhook not created: ${hook.body}`);
    const endpointId = (hook.json() as { id: string }).id;
    const bus = app.get(DomainEventBus);
    const ds = app.get(DataSource);
    const succeeded = async (): Promise<number> =>
      Number((await ds.query(`SELECT COUNT(*) AS n FROM webhook_deliveries WHERE status = 'succeeded'`))[0].n);

    /** Emits `n` events (64 emitters at once, as concurrent requests would) and waits until every delivery is recorded as succeeded. */
    const realPath = async (n: number): Promise<number> => {
      const before = await succeeded();
      await fetch(`${receiver}/reset`);
      const started = performance.now();
      let i = 0;
      const emit = async (): Promise<void> => {
        while (i < n) {
          const k = i++;
          const payload = { tenantId: tenant.id, customerId: randomUUID(), eventType: 'page_view', occurredAt: new Date().toISOString(), properties: { path: `/p/${k}`, seq: k } };
          await bus.publishAsync([{ name: 'event.ingested', payload }]);
        }
      };
      await Promise.all(Array.from({ length: 64 }, emit));
      // The receiver's count first (cheap, another process), then the database's record of every success.
      await until(async () => (await receiverCount(receiver)).distinct >= n, 600_000, `${n} deliveries received`);
      await until(async () => (await succeeded()) - before >= n, 600_000, `${n} deliveries recorded`);
      const ms = performance.now() - started;
      const r = await receiverCount(receiver);
      if (r.count !== n) out(`  note: receiver saw ${r.count} requests for ${n} events (${r.distinct} distinct event ids)`);
      return ms;
    };
    const bodiesOf = async (n: number): Promise<string[]> =>
      (await ds.query(`SELECT body FROM webhook_deliveries WHERE endpoint_id = '${endpointId}' ORDER BY created_at DESC LIMIT ${n}`)).map((r: { body: string }) => r.body);
    const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;

    out(`bench:webhooks  mode=${mode}  database=${config.database.driver}  events=${events} in ${rounds} interleaved rounds  concurrency=${concurrency}`);
    if (warmup > 0) {
      await realPath(warmup);
      await bareLoop(`${receiver}/hook`, await bodiesOf(warmup), concurrency);
    }
    // Rounds alternate the two sides so that a machine whose load drifts favours neither much.
    const per = Math.ceil(events / rounds);
    const total = { realMs: 0, bareMs: 0, realCpu: 0, bareCpu: 0, n: 0 };
    const profile = process.env.BENCH_PROFILE ? await startProfile() : null;
    const sqlTimes = process.env.BENCH_DEBUG ? timeQueries() : null;
    for (let round = 1; round <= rounds && total.n < events; round++) {
      const n = Math.min(per, events - total.n);
      const c0 = process.cpuUsage();
      const realMs = await realPath(n);
      const realCpu = cpuMs(process.cpuUsage(c0));
      const bodies = await bodiesOf(n);
      const c1 = process.cpuUsage();
      const bare = await bareLoop(`${receiver}/hook`, bodies, concurrency);
      const bareCpu = cpuMs(process.cpuUsage(c1));
      if (bare.failures) out(`  note: bare loop had ${bare.failures} failures`);
      Object.assign(total, { realMs: total.realMs + realMs, bareMs: total.bareMs + bare.ms, realCpu: total.realCpu + realCpu, bareCpu: total.bareCpu + bareCpu, n: total.n + n });
      const realRate = (n / realMs) * 1000;
      out(`  round ${round}: ${realRate.toFixed(0)} vs ${bare.perSecond.toFixed(0)} deliveries/s (ratio ${(realRate / bare.perSecond).toFixed(2)})`);
    }
    if (profile) await profile();
    if (sqlTimes) for (const [k, v] of [...sqlTimes].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8)) out(`  sql ${v.ms.toFixed(0)} ms / ${v.n}: ${k}`);
    const real = (total.n / total.realMs) * 1000;
    const bare = (total.n / total.bareMs) * 1000;
    const fmt = (v: number) => v.toFixed(0).padStart(8);
    out(`  CustomerIQ delivery path   ${fmt(real)} deliveries/s   (${total.n} events, ${(total.realMs / 1000).toFixed(1)} s)`);
    out(`  bare Node fetch loop       ${fmt(bare)} deliveries/s   (${total.n} POSTs, ${(total.bareMs / 1000).toFixed(1)} s)`);
    out(`  ratio                      ${(real / bare).toFixed(2)}  (target >= 0.5)`);
    out(`  CPU of this process per delivery: ${(total.realCpu / total.n).toFixed(3)} ms (delivery path) vs ${(total.bareCpu / total.n).toFixed(3)} ms (bare loop)`);
  } finally {
    if (app) await app.close();
    for (const c of children) c.kill();
    await db.drop();
    if (mode === 'bullmq') {
      const redis = new Redis(args.redis!);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    }
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
