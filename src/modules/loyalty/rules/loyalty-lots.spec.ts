import { allocate, dueForExpiry, expiringBetween, isExpired, LotView } from './loyalty-lots';

const at = (s: string) => new Date(s);
const lot = (id: string, remaining: number, earnedAt: string, expiresAt: string | null): LotView => ({
  id, remaining, earnedAt: at(earnedAt), expiresAt: expiresAt ? at(expiresAt) : null,
});

describe('FIFO lot consumption', () => {
  const lots = [
    lot('c', 50, '2026-03-01T00:00:00Z', null),
    lot('a', 30, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
    lot('b', 40, '2026-02-01T00:00:00Z', '2026-08-01T00:00:00Z'),
  ];
  const now = at('2026-06-01T00:00:00Z');

  it('takes from the oldest earned lot first and splits the last one', () => {
    expect(allocate(lots, 60, now)).toEqual({ allocations: [{ lotId: 'a', points: 30 }, { lotId: 'b', points: 30 }], shortfall: 0 });
  });

  it('orders by when points were earned, not by when they expire', () => {
    // b expires before a, but a was earned first.
    expect(allocate(lots, 10, now).allocations).toEqual([{ lotId: 'a', points: 10 }]);
  });

  it('skips empty lots and reports what the lots cannot cover', () => {
    const r = allocate([...lots, lot('z', 0, '2025-01-01T00:00:00Z', null)], 150, now);
    expect(r.allocations.map((x) => x.lotId)).toEqual(['a', 'b', 'c']);
    expect(r.shortfall).toBe(30);
  });

  it('takes from a preferred lot (the refunded order) before the others', () => {
    expect(allocate(lots, 60, now, 'c').allocations).toEqual([{ lotId: 'c', points: 50 }, { lotId: 'a', points: 10 }]);
  });
});

describe('expiry', () => {
  const expiring = lot('x', 25, '2025-06-01T12:00:00Z', '2026-06-01T12:00:00Z');

  it('treats a lot as expired from the very second of its expiresAt', () => {
    expect(isExpired(expiring, at('2026-06-01T11:59:59.999Z'))).toBe(false);
    expect(isExpired(expiring, at('2026-06-01T12:00:00.000Z'))).toBe(true);
  });

  it('does not let a redeem at the same second as the expiry use the lot', () => {
    const other = lot('y', 10, '2026-01-01T00:00:00Z', null);
    const sameSecond = at('2026-06-01T12:00:00.000Z');
    expect(allocate([expiring, other], 20, sameSecond)).toEqual({ allocations: [{ lotId: 'y', points: 10 }], shortfall: 10 });
    expect(allocate([expiring, other], 20, at('2026-06-01T11:59:59.000Z')).allocations).toEqual([{ lotId: 'x', points: 20 }]);
  });

  it('lists due lots with remaining points in the order they expired', () => {
    const lots = [
      lot('late', 5, '2025-01-01T00:00:00Z', '2026-05-02T00:00:00Z'),
      expiring,
      lot('early', 7, '2025-02-01T00:00:00Z', '2026-05-01T00:00:00Z'),
      lot('spent', 0, '2025-01-01T00:00:00Z', '2026-04-01T00:00:00Z'),
      lot('never', 9, '2025-01-01T00:00:00Z', null),
    ];
    expect(dueForExpiry(lots, at('2026-06-01T12:00:00Z')).map((l) => l.id)).toEqual(['early', 'late', 'x']);
  });

  it('expires a lot earned on a leap day exactly 365 days later', () => {
    const leap = lot('leap', 3, '2024-02-29T08:00:00Z', '2025-02-28T08:00:00Z');
    expect(dueForExpiry([leap], at('2025-02-28T07:59:59.999Z'))).toEqual([]);
    expect(dueForExpiry([leap], at('2025-02-28T08:00:00Z')).map((l) => l.id)).toEqual(['leap']);
  });

  it('sums soon-expiring points per instant, excluding expired and far-off lots', () => {
    const now = at('2026-05-01T00:00:00Z');
    const lots = [
      lot('a', 10, '2025-05-10T00:00:00Z', '2026-05-10T00:00:00Z'),
      lot('b', 5, '2025-05-10T00:00:00Z', '2026-05-10T00:00:00Z'),
      lot('c', 7, '2025-05-20T00:00:00Z', '2026-05-20T00:00:00Z'),
      lot('gone', 4, '2025-04-01T00:00:00Z', '2026-05-01T00:00:00Z'),
      lot('far', 4, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'),
    ];
    expect(expiringBetween(lots, now, at('2026-05-31T00:00:00Z'))).toEqual([
      { points: 15, expiresAt: at('2026-05-10T00:00:00Z') },
      { points: 7, expiresAt: at('2026-05-20T00:00:00Z') },
    ]);
  });
});
