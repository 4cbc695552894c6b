import { parseRetryAfter } from '../../shared/retry-after';

export interface SendResult {
  /** HTTP status, or null when no answer came (timeout, refused, reset). */
  status: number | null;
  timeMs: number;
  error: string | null;
  retryAfterMs: number | null;
}

const MAX_ERROR_BODY = 300;

/**
 * One POST with Node's fetch: no redirects (a 3xx could lead to an address the guard never saw), a hard timeout
 * over the whole exchange, and the answer's body read (so the connection is reused) but only kept for errors.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<SendResult> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'user-agent': 'CustomerIQ-Webhooks/1', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const timeMs = Math.round(performance.now() - started);
    const ok = res.status >= 200 && res.status < 300;
    return {
      status: res.status,
      timeMs,
      error: ok ? null : `HTTP ${res.status}${text ? `: ${text.slice(0, MAX_ERROR_BODY)}` : ''}`,
      retryAfterMs: ok ? null : parseRetryAfter(res.headers.get('retry-after')),
    };
  } catch (e) {
    const timeMs = Math.round(performance.now() - started);
    return { status: null, timeMs, error: describeFetchError(e, timeoutMs), retryAfterMs: null };
  }
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const cause = err.cause?.code ?? err.cause?.message;
  return `${err.message}${cause ? ` (${cause})` : ''}`.slice(0, 1000);
}
