/** A provider call that failed; `retryable` for 429, 5xx and network errors. */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

/** The provider could not be reached or kept refusing (after retries): the run stops, cursors stay put. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited for: the run stops and the next one resumes. */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxWaitMs: 120_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/**
 * Runs one provider call, honouring 429 Retry-After and backing off exponentially (with jitter) on 5xx and network
 * errors. A non-retryable error is rethrown as is (the caller records it against the records); running out of
 * retries becomes ProviderUnavailableError.
 */
export async function withRetry<T>(what: string, call: () => Promise<T>, classify: (e: unknown) => ProviderCallError, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (raw) {
      const e = raw instanceof ProviderCallError ? raw : classify(raw);
      if (!e.retryable) throw e;
      const backoff = Math.round(policy.baseDelayMs * 2 ** attempt * (0.8 + 0.4 * Math.random()));
      const wait = e.retryAfterMs ?? backoff;
      if (attempt >= policy.maxRetries || wait > policy.maxWaitMs) {
        throw new ProviderUnavailableError(`${what} failed after ${attempt + 1} tries: ${e.message}`);
      }
      await policy.sleep(wait);
    }
  }
}
