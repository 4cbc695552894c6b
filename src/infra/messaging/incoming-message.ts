import type { JsMsg, MsgHdrs } from 'nats';

/** One JetStream message as the event handlers see it (decoupled from the nats client types). */
export interface IncomingMessage {
  subject: string;
  data: Uint8Array;
  headers: Record<string, string[]> | null;
  /** The Nats-Msg-Id header publishers set for de-duplication. */
  msgId: string | null;
  stream: string;
  streamSeq: number;
  /** 1 on first delivery; JetStream counts every redelivery. */
  deliveryCount: number;
}

/** What the transport does with a message once its handler returns. */
export type MessageOutcome = { action: 'ack' } | { action: 'retry'; error?: string };

export function headersOf(h: MsgHdrs | undefined): Record<string, string[]> | null {
  if (!h) return null;
  const out: Record<string, string[]> = {};
  for (const [k, v] of h) out[k] = v;
  return Object.keys(out).length ? out : null;
}

export function toIncomingMessage(m: JsMsg): IncomingMessage {
  const info = m.info;
  let headers: Record<string, string[]> | null | undefined;
  return {
    subject: m.subject,
    data: m.data,
    // Copied only when asked for (dead letters): most messages never need them.
    get headers() {
      if (headers === undefined) headers = headersOf(m.headers);
      return headers;
    },
    // Read when the envelope carries no id of its own (decoding the headers is most of this function's cost).
    get msgId() {
      return m.headers?.get('Nats-Msg-Id') || null;
    },
    stream: info.stream,
    streamSeq: info.streamSequence,
    deliveryCount: info.deliveryCount,
  };
}
