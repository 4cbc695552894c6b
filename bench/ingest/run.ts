import 'reflect-metadata';
import { randomBytes } from 'crypto';
import { existsSync, readdirSync, readFileSync } from 'fs';
import { AckPolicy, connect, DeliverPolicy, NatsConnection } from 'nats';
import { cpus } from 'os';
import { parseArgs } from 'util';
import { DataSource } from 'typeorm';
import { buildAppConfig, useAppConfig } from '../../src/config/app-config';
import { ensureStream, MAX_MESSAGE_BYTES } from '../../src/infra/messaging';
import { DEFAULT_MIX, EventGenerator, parseMix } from '../../scripts/support/event-generator';
import { JetStreamPublisher, PublishItem } from '../../scripts/support/jetstream-publisher';
import { createScratchDatabase } from '../../scripts/support/scratch-database';

const USAGE = `usage: DATABASE_URL=postgres://... NATS_URL=nats://... npm run bench:ingest -- [--events 50000] [--customers 5000] [--mix ${DEFAULT_MIX}] [--warmup 0] [--batch N] [--concurrency N] (default: the app's EVENTS_BATCH_SIZE / EVENTS_CONCURRENCY) [--skip-follow-up] [--cpu-profile FILE]`;

/** --cpu-profile <file>: a V8 CPU profile of the app phase only (open it in Chrome DevTools). */
async function startProfiler(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import('inspector');
  const { writeFileSync } = await import('fs');
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((res, rej) => session.post(method, params, (e, r) => (e ? rej(e) : res(r))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return { stop: async (file) => writeFileSync(file, JSON.stringify((await post('Profiler.stop')).profile)) };
}

/**
 * CPU time (ms) used so far by the Postgres and NATS server processes on this host, from /proc (Linux; empty
 * elsewhere or when they run in other containers). Backends that exit in between count through the postmaster.
 */
function serverCpuMs(): Record<'postgres' | 'nats-server', number> | null {
  if (!existsSync('/proc/self/stat')) return null;
  const out = { postgres: 0, 'nats-server': 0 };
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
      const fields = st.slice(st.lastIndexOf(')') + 2).split(' ');
      // utime + stime, plus cutime + cstime: the postmaster's reaped children, so a backend that exits (an idle pool
      // connection closed during a long drain) still counts.
      const ms = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * tick;
      if (name.startsWith('postgres')) out.postgres += ms;
      else if (name === 'nats-server') out['nats-server'] += ms;
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/**
 * The reference: a JetStream consumer that only acks, on the same stream and messages, in the same run. Like the app,
 * it first goes through the `warmup` messages untimed, then is timed over the next n.
 */
async function bareConsumerRate(nc: NatsConnection, stream: string, prefix: string, warmup: number, n: number): Promise<number> {
  const jsm = await nc.jetstreamManager();
  const durable = `bare-${randomBytes(3).toString('hex')}`;
  await jsm.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: `${prefix}.>`, max_ack_pending: 20_000 });
  const consumer = await nc.jetstream().consumers.get(stream, durable);
  let started = process.hrtime.bigint();
  let seen = 0;
  const messages = await consumer.consume({ max_messages: 2000 });
  for await (const m of messages) {
    m.ack();
    if (++seen === warmup) started = process.hrtime.bigint();
    if (seen >= warmup + n) break;
  }
  await nc.flush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Leaving the loop stopped the iterator (close() would wait for a drain that never comes).
  await jsm.consumers.delete(stream, durable);
  return n / seconds;
}

/**
 * npm run bench:ingest — end-to-end ingestion throughput on Postgres: W warm-up events of one tenant, then N generated
 * events (purchase mix) of another are put into a fresh stream; a bare ack-only consumer reads them (baseline), then
 * the app consumes the same messages into a fresh database, and once it has stopped the bare consumer reads them again
 * (the host drifts). All are timed over the N events after the warm-up. Prints the rates, the ratio to the first bare
 * run (the target's) and to the mean of both, and the events per database transaction.
 */
async function main(): Promise<void> {
  const args = parseArgs({
    options: {
      events: { type: 'string', default: '50000' }, customers: { type: 'string', default: '5000' }, mix: { type: 'string', default: DEFAULT_MIX },
      batch: { type: 'string' }, concurrency: { type: 'string' }, warmup: { type: 'string', default: '0' },
      'cpu-profile': { type: 'string' }, 'skip-follow-up': { type: 'boolean', default: false },
    },
  }).values;
  const base = process.env.DATABASE_URL;
  const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  if (!base?.startsWith('postgres')) throw new Error(`bench:ingest measures on Postgres: set DATABASE_URL=postgres://...\n${USAGE}`);
  const n = Number(args.events);
  const warmup = Number(args.warmup);
  const id = randomBytes(3).toString('hex');
  const names = { stream: `BENCH_${id}`.toUpperCase(), durable: `bench-${id}`, prefix: `bench${id}.events` };
  const scratch = await createScratchDatabase(base, 'bench');
  const config = buildAppConfig({
    ...process.env, DATABASE_URL: scratch.url, NATS_URL: natsUrl, NATS_STREAM: names.stream, NATS_DURABLE: names.durable, NATS_SUBJECT_PREFIX: names.prefix,
    EVENTS_BATCH_SIZE: args.batch, EVENTS_CONCURRENCY: args.concurrency, LOG_LEVEL: 'error', REDIS_URL: undefined,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', DATA_DIR: `/tmp/ciq-bench-${id}`, RATE_LIMIT_PER_MINUTE: '1000000',
  });
  useAppConfig(config);
  process.stderr.write(`scratch database ${scratch.name}, stream ${names.stream}; starting the app...\n`);
  const { createApp } = await import('../../src/app.factory');
  const { EventIngestService } = await import('../../src/modules/events');
  const { JobQueue } = await import('../../src/infra/queue');
  const app = await createApp(config, { logger: false });
  await app.init();
  let closed = false;
  const nc = await connect({ servers: natsUrl });
  const publisher = await JetStreamPublisher.connect(natsUrl);
  try {
    const reg = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { tenantName: `Bench ${id}`, email: `bench-${id}@example.com`, password: 'bench password 123' } });
    const { slug, id: tenantId } = reg.json().tenant as { slug: string; id: string };
    // The warm-up events belong to another tenant: the measured tenant starts with no customers either way.
    const warmReg = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { tenantName: `Warm ${id}`, email: `warm-${id}@example.com`, password: 'bench password 123' } });
    const warmSlug = warmReg.json().tenant.slug as string;
    await ensureStream(await nc.jetstreamManager(), { stream: names.stream, subjectPrefix: names.prefix, maxMessageBytes: MAX_MESSAGE_BYTES });
    process.stderr.write(`tenant ${slug}; publishing ${warmup} warm-up events (tenant ${warmSlug}), then ${n} measured events...\n`);

    const counts: Record<string, number> = {};
    const items = function* (): Generator<PublishItem> {
      const warm = new EventGenerator({ mix: parseMix(args.mix!), customers: Number(args.customers), runId: `w${id}` });
      for (let i = 0; i < warmup; i++) {
        const e = warm.next(i);
        yield { subject: `${names.prefix}.${warmSlug}.${e.customerRef}.${e.type}`, body: Buffer.from(JSON.stringify(e.envelope)), msgId: e.envelope.id };
      }
      const gen = new EventGenerator({ mix: parseMix(args.mix!), customers: Number(args.customers), runId: `b${id}` });
      for (let i = 0; i < n; i++) {
        const e = gen.next(i);
        counts[e.type] = (counts[e.type] ?? 0) + 1;
        yield { subject: `${names.prefix}.${slug}.${e.customerRef}.${e.type}`, body: Buffer.from(JSON.stringify(e.envelope)), msgId: e.envelope.id };
      }
    };
    const pub = await publisher.publishAll(items(), { inflight: 2000 });
    process.stderr.write(`published ${warmup + n} events in ${pub.seconds.toFixed(1)} s (${Math.round((warmup + n) / pub.seconds)}/s); measuring the bare consumer...\n`);

    const bare = await bareConsumerRate(nc, names.stream, names.prefix, warmup, n);
    process.stderr.write(`bare consumer: ${Math.round(bare)} msg/s; now the app...\n`);

    const ingest = app.get(EventIngestService);
    const done = () => ingest.stats.accepted + ingest.stats.deadLettered;
    const until = async (count: number) => {
      while (done() < count) await new Promise((r) => setTimeout(r, 2));
    };
    await app.startAllMicroservices();
    // Untimed: the JIT compiles the hot paths on the warm-up events (a running service is warm). The pipeline is
    // full when the clock starts, as it is for the bare consumer.
    await until(warmup);
    const profiler = args['cpu-profile'] ? await startProfiler() : undefined;
    const servers0 = serverCpuMs();
    const tx0 = { transactions: ingest.stats.transactions, items: ingest.stats.itemsCommitted };
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await until(warmup + n);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const servers1 = serverCpuMs();
    if (profiler) await profiler.stop(args['cpu-profile']!);
    const rate = n / seconds;

    // The follow-up jobs (metrics, health, loyalty, segments) of the measured events: how long after the last commit
    // they are all done, i.e. how far derived data trails ingestion at this rate.
    const drainStarted = process.hrtime.bigint();
    // --skip-follow-up (comparing builds run after run): not waited for; the app stops without running what is queued.
    const drained = args['skip-follow-up'] ? null : await app.get(JobQueue).drain(600_000).then(() => true, () => false);
    const drainSeconds = Number(process.hrtime.bigint() - drainStarted) / 1e9;
    // All the work the events caused, follow-up jobs included: steadier than the rate where the host's speed drifts.
    const usedAll = process.cpuUsage(cpu);
    const serversAll = serverCpuMs();
    const ds = app.get(DataSource);
    const stored = Number((await ds.query('SELECT COUNT(DISTINCT event_key) AS n FROM customer_events WHERE tenant_id = $1', [tenantId]))[0].n);
    const purchases = Number((await ds.query('SELECT COUNT(*) AS n FROM purchases WHERE tenant_id = $1', [tenantId]))[0].n);
    // What the follow-up jobs produced: earn rows per purchase (loyalty), metrics rows and current scores per customer.
    const derived = (
      await ds.query(
        `SELECT (SELECT COUNT(*) FROM loyalty_transactions WHERE tenant_id = $1 AND type = 'earn') AS earns,
                (SELECT COUNT(*) FROM customer_metrics WHERE tenant_id = $1) AS metrics, (SELECT COUNT(*) FROM customer_health WHERE tenant_id = $1) AS health,
                (SELECT COUNT(*) FROM customers WHERE tenant_id = $1) AS customers`,
        [tenantId],
      )
    )[0] as Record<'earns' | 'metrics' | 'health' | 'customers', string>;
    const s = ingest.stats;
    const transactions = s.transactions - tx0.transactions;
    const perTx = (s.itemsCommitted - tx0.items) / Math.max(1, transactions);
    const pg = (await ds.query('SHOW server_version'))[0].server_version;
    // This host's speed drifts within minutes: a second bare run once the app has stopped brackets the measurement.
    await app.close();
    closed = true;
    const bareAfter = await bareConsumerRate(nc, names.stream, names.prefix, warmup, n);
    const lines = [
      `bench:ingest  N=${n} (after ${warmup} warm-up events) customers=${args.customers} mix=${args.mix} batch=${config.events.batchSize} concurrency=${config.events.concurrency} postgres=${pg}`,
      `  app (end to end, committed)   ${Math.round(rate)} events/s  (${seconds.toFixed(2)} s)`,
      `  bare JetStream ack-only       ${Math.round(bare)} msgs/s  (before the app; ${Math.round(bareAfter)} after it)`,
      `  ratio app / bare              ${(rate / bare).toFixed(2)}  (${(rate / ((bare + bareAfter) / 2)).toFixed(2)} against the mean of both bare runs)`,
      `  events per transaction        ${perTx.toFixed(1)}  (${transactions} transactions)`,
      `  app process CPU per event     ${((used.user + used.system) / n).toFixed(0)} us (user ${(used.user / n).toFixed(0)}, system ${(used.system / n).toFixed(0)})`,
      ...(servers0 && servers1
        ? [`  server CPU per event          Postgres ${(((servers1.postgres - servers0.postgres) * 1000) / n).toFixed(0)} us, NATS ${(((servers1['nats-server'] - servers0['nats-server']) * 1000) / n).toFixed(0)} us (same host, ${cpus().length} cores)`]
        : []),
      ...(drained && servers0 && serversAll
        ? [`  CPU per event with follow-up  app ${((usedAll.user + usedAll.system) / n).toFixed(0)} us, Postgres ${(((serversAll.postgres - servers0.postgres) * 1000) / n).toFixed(0)} us (until the follow-up jobs were done)`]
        : []),
      `  follow-up jobs               ${drained === null ? 'not waited for (--skip-follow-up)' : drained ? `done ${drainSeconds.toFixed(1)} s after the last commit` : 'not done 600 s after the last commit'}: ${derived.earns} loyalty earns, ${derived.metrics} metrics rows, ${derived.health} health scores for ${derived.customers} customers`,
      `  stored ${stored}/${n} distinct events, ${purchases}/${counts.purchase ?? 0} purchases, ${s.duplicates} duplicates, ${s.deadLettered} dead letters`,
      `  targets: >= 10000 events/s ${rate >= 10_000 ? 'met' : 'NOT met'}; >= 0.25 x bare ${rate / bare >= 0.25 ? 'met' : 'NOT met'}; >= 100 events/transaction ${perTx >= 100 ? 'met' : 'NOT met'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (stored !== n || purchases !== (counts.purchase ?? 0)) process.exitCode = 1;
  } finally {
    if (!closed) await app.close();
    await (await nc.jetstreamManager()).streams.delete(names.stream).catch(() => undefined);
    await publisher.close().catch(() => undefined);
    await nc.close();
    await scratch.drop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
