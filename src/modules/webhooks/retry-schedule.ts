/** Each retry waits this many times longer than the one before. */
export const RETRY_FACTOR = 3;

/**
 * Delay before attempt `attempt + 1` after `attempt` failed: base * 3^(attempt-1), spread by +-20% jitter so
 * deliveries that failed together do not come back together. With the default 80 s base, 8 attempts span about
 * a day (80 s, 4 min, 12 min, 36 min, 1.8 h, 5.4 h, 16 h). A receiver's Retry-After is honoured when longer.
 */
export function retryDelayMs(attempt: number, baseMs: number, retryAfterMs: number | null = null, random: () => number = Math.random): number {
  const exp = baseMs * RETRY_FACTOR ** Math.max(0, attempt - 1);
  const jittered = Math.round(exp * (0.8 + 0.4 * random()));
  return retryAfterMs !== null && retryAfterMs > jittered ? Math.min(retryAfterMs, 24 * 3600_000) : jittered;
}
