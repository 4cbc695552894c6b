import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

describe('FixedWindowThrottlerStorage', () => {
  const storage = () => new FixedWindowThrottlerStorage();

  it('counts hits up to the limit, then blocks for blockDuration', () => {
    const s = storage();
    for (let i = 1; i <= 3; i++) expect(s.hit('k', 60_000, 3, 30_000, 1000)).toMatchObject({ totalHits: i, isBlocked: false, timeToExpire: 60 });
    expect(s.hit('k', 60_000, 3, 30_000, 2000)).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 30 });
    expect(s.hit('k', 60_000, 3, 30_000, 31_000)).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
  });

  it('starts a fresh window when the ttl has passed or the block has run out', () => {
    const s = storage();
    s.hit('a', 1000, 1, 5000, 0);
    expect(s.hit('a', 1000, 1, 5000, 10).isBlocked).toBe(true);
    expect(s.hit('a', 1000, 1, 5000, 5011)).toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 1 });
    s.hit('b', 1000, 10, 1000, 0);
    expect(s.hit('b', 1000, 10, 1000, 1000)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps keys apart and forgets expired windows on sweep', () => {
    const s = storage();
    s.hit('x', 1000, 5, 1000, 0);
    expect(s.hit('y', 1000, 5, 1000, 0).totalHits).toBe(1);
    s.sweep(2000);
    expect(s.hit('x', 1000, 5, 1000, 2000).totalHits).toBe(1);
  });
});
