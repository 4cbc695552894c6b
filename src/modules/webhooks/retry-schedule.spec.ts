import { parseRetryAfter } from '../../shared/retry-after';
import { retryDelayMs } from './retry-schedule';

describe('retryDelayMs', () => {
  it('grows three-fold per attempt', () => {
    const mid = () => 0.5;
    expect([1, 2, 3].map((a) => retryDelayMs(a, 1000, null, mid))).toEqual([1000, 3000, 9000]);
  });

  it('keeps jitter within +-20%', () => {
    expect(retryDelayMs(2, 1000, null, () => 0)).toBe(2400);
    expect(retryDelayMs(2, 1000, null, () => 0.999999)).toBe(3600);
  });

  it('spans about a day over 8 attempts with the default base', () => {
    const total = [1, 2, 3, 4, 5, 6, 7].reduce((s, a) => s + retryDelayMs(a, 80_000, null, () => 0.5), 0);
    expect(total / 3600_000).toBeGreaterThan(20);
    expect(total / 3600_000).toBeLessThan(28);
  });

  it('waits for a longer Retry-After', () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(1, 1000, 10, () => 0.5)).toBe(1000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(undefined)).toBeNull();
  });
});
