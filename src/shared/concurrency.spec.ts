import { forEachConcurrently } from './concurrency';

describe('forEachConcurrently', () => {
  it('runs every item once, never more than the limit at a time, taking items in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5 + (n % 3)));
      inFlight--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
  });

  it('rejects with a failure, and treats a limit below one as one', async () => {
    const seen: number[] = [];
    await expect(forEachConcurrently([1, 2, 3], 0, async (n) => {
      seen.push(n);
      if (n === 2) throw new Error('two');
    })).rejects.toThrow('two');
    expect(seen).toEqual([1, 2]);
    await forEachConcurrently([], 4, async () => {
      throw new Error('never called');
    });
  });
});
