import { authorizedFetch } from './api';
import type { LiveEvent } from './types';

type Listener = (e: LiveEvent) => void;
type StatusListener = (connected: boolean) => void;

/**
 * One server-sent-events connection per tab to GET /events/stream, read with fetch() so the bearer token goes in
 * the Authorization header (EventSource cannot send one). Pages subscribe here; the connection reconnects with
 * a growing delay when it drops.
 */
class LiveEvents {
  private readonly listeners = new Set<Listener>();
  private readonly statusListeners = new Set<StatusListener>();
  private abort: AbortController | null = null;
  private connected = false;
  private retryMs = 1000;
  private timer: number | undefined;

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onStatus(l: StatusListener): void {
    this.statusListeners.add(l);
    l(this.connected);
  }

  start(): void {
    if (this.abort) return;
    this.abort = new AbortController();
    void this.run(this.abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
    clearTimeout(this.timer);
    this.setConnected(false);
  }

  private setConnected(v: boolean): void {
    if (this.connected === v) return;
    this.connected = v;
    this.statusListeners.forEach((l) => l(v));
  }

  private async run(signal: AbortSignal): Promise<void> {
    try {
      const res = await authorizedFetch('/events/stream', { signal, headers: { accept: 'text/event-stream' } });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      this.setConnected(true);
      this.retryMs = 1000;
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted (logout, page hidden) or dropped: reconnect below unless stopped.
    }
    this.setConnected(false);
    if (signal.aborted) return;
    this.timer = window.setTimeout(() => {
      if (this.abort?.signal === signal) void this.run(signal);
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 30_000);
  }

  /** One SSE message: `event:` and `data:` lines; comments (heartbeats) start with ':'. */
  private dispatch(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (event !== 'event.ingested' || !data.length) return;
    try {
      const e = JSON.parse(data.join('\n')) as LiveEvent;
      this.listeners.forEach((l) => l(e));
    } catch {
      // A malformed message is skipped; the next one is independent.
    }
  }
}

export const live = new LiveEvents();
