import {
  bandRange,
  daysSince,
  DEFAULT_FREQUENCY_THRESHOLDS as T,
  uuidChunkBounds,
  frequencyBandOf,
  predictClv,
  thresholdErrors,
  windowStartOf,
} from './customer-metrics.model';

const at = (s: string) => new Date(s);

describe('frequency bands', () => {
  it('maps window order counts to the default bands at every boundary', () => {
    expect([0, 1, 2, 4, 5, 11, 12, 40].map((n) => frequencyBandOf(n, T))).toEqual([
      null, 'one_time', 'occasional', 'occasional', 'regular', 'regular', 'frequent', 'frequent',
    ]);
  });

  it('follows tenant thresholds', () => {
    const custom = { occasional: 3, regular: 6, frequent: 20 };
    expect(frequencyBandOf(2, custom)).toBe('one_time');
    expect(frequencyBandOf(19, custom)).toBe('regular');
    expect(bandRange('one_time', custom)).toEqual({ min: 1, max: 2 });
    expect(bandRange('frequent', custom)).toEqual({ min: 20, max: null });
  });

  it('rejects thresholds that do not increase, naming the field', () => {
    expect(thresholdErrors({ occasional: 2, regular: 2, frequent: 12 })).toEqual([{ field: 'frequencyBands.regular', message: 'must be greater than occasional' }]);
    expect(thresholdErrors({ occasional: 1, regular: 5, frequent: 4 }).map((e) => e.field)).toEqual(['frequencyBands.occasional', 'frequencyBands.frequent']);
    expect(thresholdErrors(T)).toEqual([]);
  });

  it('counts the window as the 365 days before now', () => {
    expect(windowStartOf(at('2025-03-01T00:00:00Z')).toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(windowStartOf(at('2024-12-31T12:00:00Z')).toISOString()).toBe('2024-01-01T12:00:00.000Z');
  });
});

describe('predicted 12-month CLV', () => {
  const now = at('2026-06-01T00:00:00Z');

  it('is zero without orders', () => {
    expect(predictClv({ orderCount: 0, totalSpentMinor: 0, firstPurchaseAt: null, lastPurchaseAt: null }, now)).toEqual({ predicted12mMinor: 0, expectedOrders12m: 0 });
  });

  it('expects one more order of the same value from a recent one-time buyer', () => {
    const p = predictClv({ orderCount: 1, totalSpentMinor: 5000, firstPurchaseAt: at('2026-05-20T00:00:00Z'), lastPurchaseAt: at('2026-05-20T00:00:00Z') }, now);
    expect(p).toEqual({ predicted12mMinor: 5000, expectedOrders12m: 1 });
  });

  it('uses the customer own yearly rate: 24 orders over 2 years, last one recent', () => {
    const p = predictClv({ orderCount: 24, totalSpentMinor: 240000, firstPurchaseAt: at('2024-06-01T00:00:00Z'), lastPurchaseAt: at('2026-05-25T00:00:00Z') }, now);
    expect(p.expectedOrders12m).toBeCloseTo(12, 1);
    expect(p.predicted12mMinor).toBeGreaterThan(119000);
    expect(p.predicted12mMinor).toBeLessThan(121000);
  });

  it('fades a customer who is overdue and reaches zero a year past the usual gap', () => {
    const base = { orderCount: 1, totalSpentMinor: 10000, firstPurchaseAt: at('2024-12-01T00:00:00Z'), lastPurchaseAt: at('2024-12-01T00:00:00Z') };
    const halfway = predictClv(base, at('2026-06-01T00:00:00Z'));
    expect(halfway.predicted12mMinor).toBeGreaterThan(0);
    expect(halfway.predicted12mMinor).toBeLessThan(5000);
    expect(predictClv(base, at('2026-12-02T00:00:00Z')).predicted12mMinor).toBe(0);
  });
});

describe('daysSince', () => {
  it('counts whole days and is null without a date', () => {
    expect(daysSince(at('2026-05-30T12:00:00Z'), at('2026-06-01T11:59:59Z'))).toBe(1);
    expect(daysSince(null, at('2026-06-01T00:00:00Z'))).toBeNull();
  });
});

describe('uuidChunkBounds', () => {
  it('splits the id space into equal ascending ranges that cover every id', () => {
    expect(uuidChunkBounds(1)).toEqual([]);
    expect(uuidChunkBounds(4)).toEqual([
      '3fffffff-ffff-ffff-ffff-ffffffffffff',
      '7fffffff-ffff-ffff-ffff-ffffffffffff',
      'bfffffff-ffff-ffff-ffff-ffffffffffff',
    ]);
    const b = uuidChunkBounds(7);
    expect([...b].sort()).toEqual(b);
    // An id equal to a bound falls in the lower range; the next id in the upper one.
    expect('3fffffff-ffff-ffff-ffff-ffffffffffff' <= uuidChunkBounds(4)[0]).toBe(true);
    expect('40000000-0000-4000-8000-000000000000' > uuidChunkBounds(4)[0]).toBe(true);
  });
});
