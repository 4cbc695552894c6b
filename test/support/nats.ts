import { randomBytes } from 'crypto';
import { connect, headers, JetStreamManager, NatsConnection } from 'nats';

export const NATS_URL = process.env.NATS_URL;
/** NATS suites run only when NATS_URL is set (CI sets it); elsewhere they are skipped, never faked. */
export const describeWithNats = NATS_URL ? describe : describe.skip;

export interface NatsNames {
  stream: string;
  durable: string;
  prefix: string;
  /** Env overrides for createTestApp. */
  env: Record<string, string>;
}

/** A stream, durable and subject prefix of one's own, so parallel test files never share messages. */
export function uniqueNatsNames(label: string): NatsNames {
  const id = randomBytes(4).toString('hex');
  const stream = `T_${label}_${id}`.toUpperCase();
  const durable = `t-${label}-${id}`;
  const prefix = `t${id}.${label}.events`;
  return { stream, durable, prefix, env: { NATS_URL: NATS_URL!, NATS_STREAM: stream, NATS_DURABLE: durable, NATS_SUBJECT_PREFIX: prefix } };
}

export class TestPublisher {
  private constructor(readonly nc: NatsConnection) {}

  static async connect(): Promise<TestPublisher> {
    return new TestPublisher(await connect({ servers: NATS_URL! }));
  }

  /** Publishes to JetStream and waits for the stream's ack. `body` objects are JSON-encoded; bytes go as they are. */
  async publish(subject: string, body: unknown, msgId?: string): Promise<number> {
    const h = headers();
    if (msgId) h.set('Nats-Msg-Id', msgId);
    const data = body instanceof Uint8Array ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
    // A generous ack timeout: on a loaded 2-core machine JetStream's file-store acks can take seconds.
    const ack = await this.nc.jetstream().publish(subject, data, { headers: msgId ? h : undefined, timeout: 30_000 });
    return ack.seq;
  }

  jsm(): Promise<JetStreamManager> {
    return this.nc.jetstreamManager();
  }

  /** Consumer progress: delivered-but-unacked and not-yet-delivered counts. */
  async consumerState(stream: string, durable: string): Promise<{ pending: number; ackPending: number; redelivered: number }> {
    const info = await (await this.jsm()).consumers.info(stream, durable);
    return { pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered };
  }

  async deleteStream(stream: string): Promise<void> {
    await (await this.jsm()).streams.delete(stream).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}

/** Polls until `check` returns true (or throws after `timeoutMs` with the last value it saw). */
export async function eventually<T>(probe: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000, label = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (check(last)) return last;
    if (Date.now() > until) throw new Error(`${label} not reached in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
