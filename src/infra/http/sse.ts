import type { FastifyReply } from 'fastify';

export interface SseStream {
  /** Writes one message; `data` is sent as one line of JSON. */
  send(event: string, data: unknown, id?: string): void;
  /** Ends the response (the client sees the stream close). */
  close(): void;
  /** Called once when the stream ends, whichever side closed it. */
  onClose(listener: () => void): void;
}

export const SSE_HEARTBEAT_MS = 15_000;

/**
 * Takes over a fastify reply for server-sent events: headers already set on the reply (CORS, helmet, request id,
 * rate limits) are kept, a comment line every 15 s keeps proxies from closing an idle connection, and every
 * listener is released when the client goes away.
 */
export function openSseStream(reply: FastifyReply, heartbeatMs = SSE_HEARTBEAT_MS): SseStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx buffers responses unless told not to.
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  raw.write('retry: 5000\n: connected\n\n');
  const listeners: Array<() => void> = [];
  let closed = false;
  const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), heartbeatMs);
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const l of listeners) l();
  };
  raw.on('close', finish);
  raw.on('error', finish);
  return {
    send(event, data, id) {
      if (closed) return;
      raw.write(`event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      if (!closed) raw.end();
      finish();
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}
