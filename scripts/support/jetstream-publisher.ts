import { connect, JetStreamClient, NatsConnection } from 'nats';

export interface PublishItem {
  subject: string;
  body: Uint8Array;
  /** Sent as Nats-Msg-Id: JetStream drops a re-publish within its duplicate window, CustomerIQ de-duplicates after it. */
  msgId: string;
}

export interface PublishResult {
  published: number;
  /** Already in the stream (same Nats-Msg-Id within the duplicate window). */
  duplicates: number;
  seconds: number;
}

/** Publishes to JetStream with up to `inflight` acknowledgements outstanding (each publish waits for the stream's ack). */
export class JetStreamPublisher {
  private constructor(
    readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
  ) {}

  static async connect(servers: string): Promise<JetStreamPublisher> {
    const nc = await connect({ servers, name: 'customeriq-publisher' });
    return new JetStreamPublisher(nc, nc.jetstream());
  }

  async publishAll(items: AsyncIterable<PublishItem> | Iterable<PublishItem>, opts: { inflight?: number; onProgress?: (done: number) => void } = {}): Promise<PublishResult> {
    const inflight = opts.inflight ?? 1000;
    const started = Date.now();
    let done = 0;
    let duplicates = 0;
    const pending = new Set<Promise<void>>();
    for await (const item of items) {
      const p: Promise<void> = this.publishWithRetry(item).then((dup) => {
        done++;
        if (dup) duplicates++;
        pending.delete(p);
        if (opts.onProgress && done % 500 === 0) opts.onProgress(done);
      });
      pending.add(p);
      if (pending.size >= inflight) await Promise.race(pending);
    }
    await Promise.all(pending);
    opts.onProgress?.(done);
    return { published: done, duplicates, seconds: (Date.now() - started) / 1000 };
  }

  /** A publish that times out is sent again with the same Nats-Msg-Id, so it is stored once. */
  private async publishWithRetry(item: PublishItem): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await this.js.publish(item.subject, item.body, { msgID: item.msgId, timeout: 10_000 });
        return ack.duplicate;
      } catch (e) {
        if (attempt >= 5) throw e;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
    }
  }

  close(): Promise<void> {
    return this.nc.drain();
  }
}
