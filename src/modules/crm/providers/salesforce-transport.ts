import Transport from 'jsforce/lib/transport';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { StreamPromise } from 'jsforce/lib/util/promise';
import { parseRetryAfter } from '../../../shared/retry-after';

const REQUEST_TIMEOUT_MS = 60_000;

/**
 * jsforce transport that leaves retries to us and remembers the last 429's Retry-After: jsforce turns error
 * answers into errors without status or headers, and by itself retries only GETs, on a fixed schedule. Also caps
 * each request at a minute (jsforce's default is 30).
 */
export class RateAwareTransport extends Transport {
  /** Retry-After of the most recent 429 or 503 answer, consumed by the next classify(). */
  lastRetryAfterMs: number | null = null;
  lastStatus: number | null = null;

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    const inner = super.httpRequest(req, { ...options, timeout: REQUEST_TIMEOUT_MS, retry: { maxRetries: 0 } });
    return StreamPromise.create(() => ({
      stream: inner.stream(),
      promise: inner.then((res) => {
        this.lastStatus = res.statusCode;
        this.lastRetryAfterMs = res.statusCode === 429 || res.statusCode === 503 ? parseRetryAfter(res.headers['retry-after']) : null;
        return res;
      }),
    }));
  }
}
