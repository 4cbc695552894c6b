import { AckPolicy, DeliverPolicy, JetStreamManager, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';

/** The largest event message the stream accepts (the envelope limit). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface JetStreamTopology {
  stream: string;
  /** Subjects `<prefix>.>` go to the stream. */
  subjectPrefix: string;
  durable: string;
  ackWaitMs: number;
  maxMessageBytes: number;
  maxAckPending: number;
}

function isNotFound(e: unknown): boolean {
  const err = e as { code?: string; api_error?: { err_code?: number }; message?: string };
  return err.code === '404' || err.api_error?.err_code === 10059 || err.api_error?.err_code === 10014 || /not found/i.test(err.message ?? '');
}

/**
 * Creates the stream (file storage) or updates it so it also takes `<prefix>.>`. Every instance runs this at start;
 * a concurrent creation by another instance is retried as an update.
 */
export async function ensureStream(jsm: JetStreamManager, t: Pick<JetStreamTopology, 'stream' | 'subjectPrefix' | 'maxMessageBytes'>): Promise<void> {
  const subject = `${t.subjectPrefix}.>`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const info = await jsm.streams.info(t.stream);
      const subjects = info.config.subjects?.includes(subject) ? info.config.subjects : [...(info.config.subjects ?? []), subject];
      if (subjects !== info.config.subjects || info.config.max_msg_size !== t.maxMessageBytes) {
        await jsm.streams.update(t.stream, { ...info.config, subjects, max_msg_size: t.maxMessageBytes });
      }
      return;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    const cfg: Partial<StreamConfig> = {
      name: t.stream, subjects: [subject], storage: StorageType.File, retention: RetentionPolicy.Limits, max_msg_size: t.maxMessageBytes,
      duplicate_window: nanos(2 * 60 * 1000),
    };
    try {
      await jsm.streams.add(cfg);
      return;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}

/**
 * One durable pull consumer shared by every instance (they split the work). max_deliver is unlimited on the
 * server: the application dead-letters a message itself after EVENTS_MAX_DELIVERIES, so none is dropped unseen.
 */
export async function ensureConsumer(jsm: JetStreamManager, t: JetStreamTopology): Promise<void> {
  const wanted = { ack_wait: nanos(t.ackWaitMs), max_ack_pending: t.maxAckPending, max_deliver: -1 };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const info = await jsm.consumers.info(t.stream, t.durable);
      const c = info.config;
      if (c.ack_wait !== wanted.ack_wait || c.max_ack_pending !== wanted.max_ack_pending || c.max_deliver !== wanted.max_deliver) {
        await jsm.consumers.update(t.stream, t.durable, wanted);
      }
      return;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      await jsm.consumers.add(t.stream, {
        durable_name: t.durable, ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, filter_subject: `${t.subjectPrefix}.>`,
        max_waiting: 512, ...wanted,
      });
      return;
    } catch (e) {
      if (attempt === 2) throw e;
    }
  }
}
