import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { randomUUID } from 'crypto';
import { createReadStream } from 'fs';
import { createInterface } from 'readline';
import { parseArgs } from 'util';
import { loadAppConfig } from '../src/config/app-config';
import { ensureStream, MAX_MESSAGE_BYTES } from '../src/infra/messaging';
import { DEFAULT_MIX, EventGenerator, parseMix } from './support/event-generator';
import { JetStreamPublisher, PublishItem } from './support/jetstream-publisher';

const USAGE = `usage:
  npm run events:publish -- --file events.ndjson [--tenant <slug|id>]
  npm run events:publish -- --generate 100000 --tenant demo [--mix ${DEFAULT_MIX}] [--customers 1000] [--inflight 1000] [--seed 42]
Subjects: <NATS_SUBJECT_PREFIX>.<tenant>.<customerRef>.<type> (without --tenant: <prefix>.<customerRef>.<type>, for DEFAULT_TENANT).
Each NDJSON line is an envelope {id?, type, customer_id?, email?, occurred_at?, source?, data}; Nats-Msg-Id is its id (or a new UUID).`;

/** A subject token may not contain '.', '*', '>' or whitespace; such references travel in the envelope instead ('_'). */
const SUBJECT_TOKEN = /^[^.*>\s]+$/;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** NDJSON lines -> publish items; a bad line stops the run with its line number (nothing is skipped silently). */
async function* fromFile(path: string, prefix: string, tenant: string | undefined): AsyncGenerator<PublishItem> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    let env: Record<string, any>;
    try {
      env = JSON.parse(line);
    } catch (e) {
      throw new Error(`${path}:${n}: not JSON (${(e as Error).message})`);
    }
    const type = env.type;
    if (typeof type !== 'string' || !SUBJECT_TOKEN.test(type)) throw new Error(`${path}:${n}: "type" is required to build the subject`);
    const rawRef = env.customer_id ?? env.customerId;
    const ref = typeof rawRef === 'string' && SUBJECT_TOKEN.test(rawRef) ? rawRef : '_';
    const msgId = env.id !== undefined && env.id !== null ? String(env.id) : randomUUID();
    yield { subject: [prefix, tenant, ref, type].filter(Boolean).join('.'), body: Buffer.from(line), msgId };
  }
}

function* generated(count: number, prefix: string, tenant: string | undefined, gen: EventGenerator): Generator<PublishItem> {
  for (let i = 0; i < count; i++) {
    const e = gen.next(i);
    yield { subject: [prefix, tenant, e.customerRef, e.type].filter(Boolean).join('.'), body: Buffer.from(JSON.stringify(e.envelope)), msgId: e.envelope.id };
  }
}

/**
 * npm run events:publish — sends customer events to NATS JetStream, from an NDJSON file or generated with a type mix,
 * with a progress bar and the achieved rate. NATS_URL / NATS_SUBJECT_PREFIX come from the environment as for the app.
 */
async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        file: { type: 'string' }, generate: { type: 'string' }, tenant: { type: 'string' }, mix: { type: 'string', default: DEFAULT_MIX },
        customers: { type: 'string', default: '1000' }, inflight: { type: 'string', default: '1000' }, seed: { type: 'string', default: '42' },
        'run-id': { type: 'string' },
      },
    }).values;
  } catch (e) {
    fail(`${(e as Error).message}\n${USAGE}`);
  }
  if (!!args.file === !!args.generate) fail(`give either --file or --generate\n${USAGE}`);
  const config = loadAppConfig();
  const servers = config.natsUrl ?? 'nats://127.0.0.1:4222';
  const prefix = config.nats.subjectPrefix;
  const tenant = args.tenant;
  if (tenant !== undefined && !SUBJECT_TOKEN.test(tenant)) fail(`--tenant "${tenant}" cannot be a subject token`);
  const count = args.generate ? Number(args.generate) : undefined;
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) fail('--generate needs a positive whole number');
  const inflight = Number(args.inflight);
  let items: AsyncIterable<PublishItem> | Iterable<PublishItem>;
  if (args.file) items = fromFile(args.file, prefix, tenant);
  else {
    let mix;
    try {
      mix = parseMix(args.mix!);
    } catch (e) {
      fail((e as Error).message);
    }
    const gen = new EventGenerator({ mix, customers: Math.max(1, Number(args.customers)), runId: args['run-id'] ?? `gen-${Date.now().toString(36)}`, seed: Number(args.seed) });
    items = generated(count!, prefix, tenant, gen);
  }

  const publisher = await JetStreamPublisher.connect(servers).catch((e: Error) => fail(`cannot connect to NATS at ${servers}: ${e.message}`));
  // The app creates the stream at start too; doing it here lets events be queued before the app first runs.
  await ensureStream(await publisher.nc.jetstreamManager(), {
    stream: config.nats.stream, subjectPrefix: prefix, maxMessageBytes: MAX_MESSAGE_BYTES,
  });
  const bar = new SingleBar({ format: 'publishing [{bar}] {value}/{total} | {rate} events/s', stream: process.stderr, hideCursor: true });
  const started = Date.now();
  bar.start(count ?? 0, 0, { rate: 0 });
  try {
    const r = await publisher.publishAll(items, {
      inflight,
      onProgress: (done) => {
        if (count === undefined) bar.setTotal(done);
        bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)) });
      },
    });
    bar.stop();
    process.stdout.write(
      `published ${r.published} events to ${servers} (${prefix}.${tenant ?? '<DEFAULT_TENANT>'}.*) in ${r.seconds.toFixed(1)} s: ` +
        `${Math.round(r.published / Math.max(0.001, r.seconds))} events/s` +
        (r.duplicates ? `; ${r.duplicates} were already in the stream (same Nats-Msg-Id)` : '') + '\n',
    );
  } catch (e) {
    bar.stop();
    fail(`publishing stopped: ${(e as Error).message}`);
  } finally {
    await publisher.close().catch(() => undefined);
  }
}

void main();
