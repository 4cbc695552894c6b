import { addMonthsUtc, rollingExitOf } from './loyalty-dates';

const iso = (d: Date) => d.toISOString();

describe('calendar months in UTC', () => {
  it('clamps a leap day to the last day of February a year later', () => {
    expect(iso(addMonthsUtc(new Date('2024-02-29T10:30:00Z'), 12))).toBe('2025-02-28T10:30:00.000Z');
    expect(iso(addMonthsUtc(new Date('2023-02-28T10:30:00Z'), 12))).toBe('2024-02-28T10:30:00.000Z');
  });

  it('clamps month ends and crosses years both ways', () => {
    expect(iso(addMonthsUtc(new Date('2024-01-31T00:00:00Z'), 1))).toBe('2024-02-29T00:00:00.000Z');
    expect(iso(addMonthsUtc(new Date('2025-11-15T23:59:59.999Z'), 3))).toBe('2026-02-15T23:59:59.999Z');
    expect(iso(addMonthsUtc(new Date('2025-01-15T00:00:00Z'), -12))).toBe('2024-01-15T00:00:00.000Z');
  });

  it('lets rolling points count for exactly 12 calendar months', () => {
    expect(iso(rollingExitOf(new Date('2025-03-15T12:00:00Z')))).toBe('2026-03-15T12:00:00.000Z');
  });
});
