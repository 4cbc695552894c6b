/** A server-sent-events reader over fetch (the way the dashboard reads GET /events/stream), for tests. */
export interface SseMessage {
  event: string;
  id?: string;
  data: any;
}

export interface SseClient {
  status: number;
  /** The next message other than comments (heartbeats); rejects after `timeoutMs` so a test fails instead of hanging. */
  next(timeoutMs?: number): Promise<SseMessage>;
  close(): void;
}

export async function openSse(url: string, token?: string): Promise<SseClient & { body: string }> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal });
  if (res.headers.get('content-type')?.startsWith('text/event-stream') !== true) {
    return { status: res.status, body: await res.text(), next: () => Promise.reject(new Error('not a stream')), close: () => abort.abort() };
  }
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const queued: SseMessage[] = [];
  const parse = () => {
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split('\n').filter((l) => !l.startsWith(':') && !l.startsWith('retry:'));
      if (!lines.length) continue;
      const field = (name: string) => lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).trimStart());
      queued.push({ event: field('event')[0] ?? 'message', id: field('id')[0], data: JSON.parse(field('data').join('\n')) });
    }
  };
  return {
    status: res.status,
    body: '',
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!queued.length) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no server-sent event within ${timeoutMs} ms`);
        let timer: NodeJS.Timeout | undefined;
        const r = await Promise.race([reader.read(), new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), left)))]);
        clearTimeout(timer);
        if (r === null) continue;
        if (r.done) throw new Error('the stream ended');
        buffer += r.value;
        parse();
      }
      return queued.shift()!;
    },
    close: () => abort.abort(),
  };
}
