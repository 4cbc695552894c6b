import { DEFAULT_PROGRAM, pointsForAmount, pointsToReverse, programErrors } from './loyalty-program.rules';

describe('program validation', () => {
  it('accepts the default tiers', () => {
    expect(programErrors(DEFAULT_PROGRAM)).toEqual([]);
  });

  it('names the tier whose threshold does not increase', () => {
    const errors = programErrors({ tiers: [{ name: 'bronze', threshold: 0 }, { name: 'silver', threshold: 500 }, { name: 'gold', threshold: 500 }] });
    expect(errors).toEqual([{ field: 'tiers[2].threshold', message: 'must be greater than the threshold of silver (500)' }]);
  });

  it('rejects tiers out of rank order or repeated, and a first threshold other than 0', () => {
    const errors = programErrors({ tiers: [{ name: 'silver', threshold: 10 }, { name: 'bronze', threshold: 20 }, { name: 'bronze', threshold: 30 }] });
    expect(errors.map((e) => e.field)).toEqual(['tiers[0].threshold', 'tiers[1].name', 'tiers[2].name']);
  });

  it('allows a subset of the tiers', () => {
    expect(programErrors({ tiers: [{ name: 'silver', threshold: 0 }, { name: 'platinum', threshold: 100 }] })).toEqual([]);
  });
});

describe('points for a purchase', () => {
  it('converts minor units to major units, applies the rate and rounds as configured', () => {
    const rate = { pointsPerCurrencyUnit: 1, rounding: 'floor' as const };
    expect(pointsForAmount(4999, 'USD', rate)).toBe(49);
    expect(pointsForAmount(4999, 'USD', { ...rate, rounding: 'round' })).toBe(50);
    expect(pointsForAmount(4901, 'USD', { ...rate, rounding: 'ceil' })).toBe(50);
    expect(pointsForAmount(1200, 'JPY', { pointsPerCurrencyUnit: 0.01, rounding: 'floor' })).toBe(12);
  });

  it('is not fooled by binary float noise at a whole number', () => {
    // 0.29 * 100 = 28.999999999999996 in floating point.
    expect(pointsForAmount(29, 'USD', { pointsPerCurrencyUnit: 100, rounding: 'floor' })).toBe(29);
    expect(pointsForAmount(30, 'USD', { pointsPerCurrencyUnit: 10, rounding: 'ceil' })).toBe(3);
  });
});

describe('points a refund reverses', () => {
  it('takes the refunded share, rounded down, and exactly the rest on the final refund', () => {
    const first = pointsToReverse(49, 4999, 0, 1500);
    const second = pointsToReverse(49, 4999, 1500, 3000);
    const last = pointsToReverse(49, 4999, 3000, 4999);
    expect([first, second, last]).toEqual([14, 15, 20]);
    expect(first + second + last).toBe(49);
  });

  it('reverses nothing for an order that earned nothing or a refund of nothing', () => {
    expect(pointsToReverse(0, 1000, 0, 1000)).toBe(0);
    expect(pointsToReverse(10, 1000, 500, 500)).toBe(0);
  });
});
