import { Logger } from '@nestjs/common';
import { BaseRpcContext, CustomTransportStrategy, Server } from '@nestjs/microservices';
import { connect, Consumer, ConsumerMessages, FetchOptions, JsMsg, NatsConnection } from 'nats';
import { isObservable, lastValueFrom } from 'rxjs';
import { ensureConsumer, ensureStream, JetStreamTopology } from './jetstream-setup';
import { IncomingMessage, MessageOutcome, toIncomingMessage } from './incoming-message';

export interface JetStreamServerOptions extends JetStreamTopology {
  servers: string;
  /** The @EventPattern that receives each batch as IncomingMessage[] and returns one MessageOutcome per message. */
  pattern: string;
  /** Messages per handler call (and so per database transaction). */
  batchSize: number;
  /** Batches handled at once by this instance. */
  concurrency: number;
  /** How long a partial batch waits for more messages before it is handled anyway. */
  lingerMs?: number;
}

/** Context handed to the batch handler: [subject pattern, batch size]. */
export class JetStreamBatchContext extends BaseRpcContext<[string, number]> {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Nest transport strategy on a JetStream durable pull consumer. Messages are fetched ahead into a bounded buffer
 * (no more than batchSize x (concurrency + 2) held unacknowledged), handed to the handler in batches, and each is
 * acked only when the handler says its effects are committed (or it was dead-lettered); the rest are nak'ed with
 * a growing delay and come back. Every instance binds the same durable, so instances split the stream.
 */
export class JetStreamBatchServer extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('JetStream');
  private nc?: NatsConnection;
  private fetch?: ConsumerMessages;
  private running = false;
  private readonly buffer: JsMsg[] = [];
  private held = 0;
  private waiters: Array<() => void> = [];
  private loops: Promise<void>[] = [];
  private readonly inFlight = new Set<JsMsg[]>();
  private heartbeat?: NodeJS.Timeout;
  readonly stats = { batches: 0, messages: 0, acked: 0, retried: 0 };

  constructor(private readonly opts: JetStreamServerOptions) {
    super();
  }

  private get capacity(): number {
    // One batch for each processing loop, plus two being fetched: a loop that finishes finds the next batch ready.
    return this.opts.batchSize * (this.opts.concurrency + 2);
  }

  async listen(callback: (err?: unknown, ...optionalParams: unknown[]) => void): Promise<void> {
    try {
      this.nc = await connect({ servers: this.opts.servers, name: `customeriq-${this.opts.durable}`, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
      const consumer = await this.setUp();
      this.running = true;
      // Messages held longer than ack-wait (a slow database) would be handed to another instance while still being
      // processed here: tell the server they are being worked on.
      this.heartbeat = setInterval(() => this.extendAckDeadlines(), Math.max(250, Math.floor(this.opts.ackWaitMs / 3)));
      this.loops = [this.fetchLoop(consumer), ...Array.from({ length: this.opts.concurrency }, () => this.processLoop())];
      this.log.log(`consuming ${this.opts.subjectPrefix}.> from stream ${this.opts.stream} as durable ${this.opts.durable}`);
      callback();
    } catch (e) {
      await this.nc?.close().catch(() => undefined);
      callback(e);
    }
  }

  private async setUp(): Promise<Consumer> {
    const jsm = await this.nc!.jetstreamManager();
    await ensureStream(jsm, this.opts);
    await ensureConsumer(jsm, this.opts);
    return this.nc!.jetstream().consumers.get(this.opts.stream, this.opts.durable);
  }

  /** Stops fetching, lets batches in flight finish, returns buffered messages for redelivery, then drains the connection. */
  async close(): Promise<void> {
    if (!this.nc) return;
    this.running = false;
    clearInterval(this.heartbeat);
    this.fetch?.stop();
    this.wake();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(this.loops), new Promise((r) => (timer = setTimeout(r, 30_000)))]);
    clearTimeout(timer);
    for (const m of this.buffer.splice(0)) m.nak();
    await this.nc.drain().catch(() => undefined);
    this.nc = undefined;
  }

  on(): void {
    throw new Error('JetStreamBatchServer has no events to subscribe to');
  }

  unwrap<T>(): T {
    if (!this.nc) throw new Error('JetStreamBatchServer is not listening');
    return this.nc as T;
  }

  private extendAckDeadlines(): void {
    for (const m of this.buffer) m.working();
    for (const batch of this.inFlight) for (const m of batch) m.working();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.waiters.push(() => (clearTimeout(t), resolve()));
    });
  }

  private async fetchLoop(first: Consumer): Promise<void> {
    let consumer = first;
    while (this.running) {
      const room = this.capacity - this.held;
      if (room < this.opts.batchSize) {
        await this.waitForChange(1000);
        continue;
      }
      try {
        // Callback delivery (the client's pull implementation honours it for fetch as for consume): the async
        // iterator cost four promises per message, each with the async-context hooks AsyncLocalStorage turns on.
        const options: FetchOptions & { callback: (m: JsMsg) => void } = { max_messages: room, expires: 5000, callback: (m) => this.receive(m) };
        this.fetch = await consumer.fetch(options);
        const error = await this.fetch.closed();
        if (error) throw error;
      } catch (e) {
        if (!this.running) break;
        this.log.warn(`fetch failed: ${(e as Error).message}; retrying`);
        await sleep(1000);
        // The stream or consumer may have been removed or changed: set them up again.
        consumer = await this.setUp().catch(() => consumer);
      }
    }
  }

  private receive(m: JsMsg): void {
    this.held++;
    this.buffer.push(m);
    this.wake();
  }

  private async processLoop(): Promise<void> {
    const linger = this.opts.lingerMs ?? 10;
    while (this.running) {
      if (!this.buffer.length) {
        await this.waitForChange(1000);
        continue;
      }
      // A short wait lets a batch fill while messages are still arriving; at load the buffer is already full.
      if (this.buffer.length < this.opts.batchSize) await this.waitForChange(linger);
      const batch = this.buffer.splice(0, this.opts.batchSize);
      if (!batch.length) continue;
      this.inFlight.add(batch);
      await this.handleBatch(batch);
      this.inFlight.delete(batch);
      this.held -= batch.length;
      this.wake();
    }
  }

  private async handleBatch(batch: JsMsg[]): Promise<void> {
    const started = Date.now();
    const handler = this.getHandlerByPattern(this.opts.pattern);
    let outcomes: MessageOutcome[] | undefined;
    let failure: string | undefined;
    if (!handler) failure = `no handler for ${this.opts.pattern}`;
    else {
      try {
        const incoming: IncomingMessage[] = batch.map(toIncomingMessage);
        const out: unknown = await handler(incoming, new JetStreamBatchContext([this.opts.pattern, batch.length]));
        outcomes = (isObservable(out) ? await lastValueFrom(out, { defaultValue: undefined }) : out) as MessageOutcome[] | undefined;
      } catch (e) {
        failure = (e as Error)?.message ?? String(e);
      }
    }
    if (failure) this.log.error(`batch of ${batch.length} failed, will be redelivered: ${failure}`);
    else this.log.debug(`batch of ${batch.length} handled in ${Date.now() - started} ms`);
    this.stats.batches++;
    this.stats.messages += batch.length;
    batch.forEach((m, i) => {
      const o = outcomes?.[i];
      if (o?.action === 'ack') {
        m.ack();
        this.stats.acked++;
      } else {
        m.nak(backoffMs(m.info.deliveryCount));
        this.stats.retried++;
      }
    });
  }
}

/** 1 s, 2 s, 4 s ... up to 30 s between deliveries of a message that keeps failing. */
export function backoffMs(deliveryCount: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, deliveryCount - 1));
}
