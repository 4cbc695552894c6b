import 'reflect-metadata';
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import { createWriteStream, mkdtempSync } from 'fs';
import { createServer } from 'net';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { Client } from 'pg';
import { parseArgs } from 'util';
import { EventGenerator, parseMix } from './support/event-generator';
import { JetStreamPublisher, PublishItem } from './support/jetstream-publisher';
import { createScratchDatabase } from './support/scratch-database';

const USAGE = 'usage: DATABASE_URL=postgres://... NATS_URL=nats://... node dist/scripts/faults.js [--events 5000] [--kills 2]';
/** Refunds are left out: with two batches in flight a refund may commit before its purchase and be dead-lettered. */
const MIX = 'purchase=50,usage=20,login=15,support_ticket=5,contact=5,work_order=3,custom=2';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
    srv.on('error', rej);
  });
}

/**
 * Fault test: publish N events with ids while the app (a child process running dist/src/main.js) is killed with
 * SIGKILL twice mid-way and restarted; then every event must be stored exactly once with exactly one effect.
 */
async function main(): Promise<void> {
  const args = parseArgs({ options: { events: { type: 'string', default: '5000' }, kills: { type: 'string', default: '2' } } }).values;
  const n = Number(args.events);
  const kills = Number(args.kills);
  const base = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  if (!base?.startsWith('postgres')) throw new Error(`set DATABASE_URL (or TEST_DATABASE_URL) to a Postgres server\n${USAGE}`);
  const started = Date.now();
  const id = randomBytes(3).toString('hex');
  const names = { stream: `FAULTS_${id}`.toUpperCase(), durable: `faults-${id}`, prefix: `faults${id}.events` };
  const scratch = await createScratchDatabase(base, 'faults');
  const db = new Client({ connectionString: scratch.url });
  const dataDir = mkdtempSync(join(tmpdir(), 'ciq-faults-'));
  const port = await freePort();
  const log = createWriteStream(join(dataDir, 'app.log'));
  const env = {
    ...process.env, NODE_ENV: 'production', CRM_ENCRYPTION_KEY: process.env.CRM_ENCRYPTION_KEY ?? '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', PORT: String(port), DATABASE_URL: scratch.url, NATS_URL: natsUrl, NATS_STREAM: names.stream,
    NATS_DURABLE: names.durable, NATS_SUBJECT_PREFIX: names.prefix, JWT_SECRET: `faults-${id}-secret-faults-secret-0123456789`, DATA_DIR: dataDir,
    LOG_LEVEL: 'warn', EVENTS_BATCH_SIZE: '200', EVENTS_ACK_WAIT_MS: '5000', RATE_LIMIT_PER_MINUTE: '100000', REDIS_URL: '',
  };
  let app: ChildProcess | undefined;
  const startApp = async (): Promise<void> => {
    app = spawn(process.execPath, [resolve(__dirname, '..', 'src', 'main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    app.stdout!.pipe(log, { end: false });
    app.stderr!.pipe(log, { end: false });
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
      if (ok) return;
      if (app.exitCode !== null) throw new Error(`the app exited with ${app.exitCode}; see ${join(dataDir, 'app.log')}`);
      await sleep(100);
    }
    throw new Error('the app did not become ready in 60 s');
  };
  const stored = async () => Number((await db.query('SELECT COUNT(*) AS n FROM customer_events')).rows[0].n);
  const publisher = await JetStreamPublisher.connect(natsUrl);
  try {
    await startApp();
    await db.connect();
    const reg = await fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenantName: `Faults ${id}`, email: `faults-${id}@example.com`, password: 'faults password 123' }),
    }).then((r) => r.json() as Promise<{ tenant: { slug: string } }>);
    const slug = reg.tenant.slug;

    const gen = new EventGenerator({ mix: parseMix(MIX), customers: 500, runId: `f${id}` });
    const expected = { byType: {} as Record<string, number>, tickets: new Set<string>(), workOrders: new Set<string>(), customers: new Set<string>() };
    const items = function* (): Generator<PublishItem> {
      for (let i = 0; i < n; i++) {
        const e = gen.next(i);
        expected.byType[e.type] = (expected.byType[e.type] ?? 0) + 1;
        expected.customers.add(e.customerRef);
        if (e.type === 'support_ticket') expected.tickets.add(e.envelope.data.ticket_id as string);
        if (e.type === 'work_order') expected.workOrders.add(e.envelope.data.work_order_id as string);
        yield { subject: `${names.prefix}.${slug}.${e.customerRef}.${e.type}`, body: Buffer.from(JSON.stringify(e.envelope)), msgId: e.envelope.id };
      }
    };
    process.stderr.write(`publishing ${n} events to ${names.stream}; the app runs as pid ${app!.pid}\n`);
    const publishing = publisher.publishAll(items(), { inflight: 500 });

    const killedAt: number[] = [];
    for (let k = 1; k <= kills; k++) {
      const threshold = Math.floor((n * k) / (kills + 1));
      while ((await stored()) < threshold) await sleep(20);
      const at = await stored();
      app!.kill('SIGKILL');
      await new Promise((r) => app!.once('exit', r));
      killedAt.push(at);
      process.stderr.write(`kill -9 #${k} with ${at}/${n} events stored; restarting\n`);
      await startApp();
    }
    const pub = await publishing;
    process.stderr.write(`published ${pub.published} (${pub.duplicates} already in the stream); waiting for the app to finish\n`);
    const jsm = await publisher.nc.jetstreamManager();
    for (let i = 0; ; i++) {
      const c = await jsm.consumers.info(names.stream, names.durable);
      if (c.num_pending === 0 && c.num_ack_pending === 0 && (await stored()) >= n) break;
      if (i > 3000) throw new Error(`not finished after 5 minutes: ${await stored()}/${n} stored, ${c.num_pending} pending, ${c.num_ack_pending} unacked`);
      await sleep(100);
    }

    const one = async (sql: string) => Number((await db.query(sql)).rows[0].n);
    const checks: Array<[string, number, number]> = [
      ['events stored', await one('SELECT COUNT(*) AS n FROM customer_events'), n],
      ['distinct event ids', await one('SELECT COUNT(DISTINCT event_key) AS n FROM customer_events'), n],
      ['purchases', await one('SELECT COUNT(*) AS n FROM purchases'), expected.byType.purchase ?? 0],
      ['purchases with their own event', await one('SELECT COUNT(DISTINCT source_event_id) AS n FROM purchases'), expected.byType.purchase ?? 0],
      ['telemetry rows (usage + login)', await one('SELECT COUNT(*) AS n FROM telemetry'), (expected.byType.usage ?? 0) + (expected.byType.login ?? 0)],
      ['contacts', await one('SELECT COUNT(*) AS n FROM contacts'), expected.byType.contact ?? 0],
      ['support tickets', await one('SELECT COUNT(*) AS n FROM support_tickets'), expected.tickets.size],
      ['work orders', await one('SELECT COUNT(*) AS n FROM work_orders'), expected.workOrders.size],
      ['customers', await one('SELECT COUNT(*) AS n FROM customers'), expected.customers.size],
      ['dead letters', await one('SELECT COUNT(*) AS n FROM dead_letters'), 0],
    ];
    const failed = checks.filter(([, got, want]) => got !== want);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `test/faults: ${n} events, ${kills} x kill -9 (at ${killedAt.join(', ')} stored), ${seconds.toFixed(1)} s\n` +
        checks.map(([name, got, want]) => `  ${got === want ? 'ok  ' : 'FAIL'} ${name}: ${got} (expected ${want})`).join('\n') + '\n',
    );
    if (failed.length) process.exitCode = 1;
  } finally {
    app?.kill('SIGTERM');
    if (app && app.exitCode === null) await new Promise((r) => app!.once('exit', r));
    await (await publisher.nc.jetstreamManager()).streams.delete(names.stream).catch(() => undefined);
    await publisher.close().catch(() => undefined);
    await db.end().catch(() => undefined);
    await scratch.drop();
    log.end();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
