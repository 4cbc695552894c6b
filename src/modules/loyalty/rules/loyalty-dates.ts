export const DAY_MS = 86_400_000;

/**
 * `d` plus `months` calendar months in UTC, keeping the time of day; a day the target month lacks becomes its
 * last day (2024-02-29 + 12 months = 2025-02-28, 2025-01-31 + 1 month = 2025-02-28).
 */
export function addMonthsUtc(d: Date, months: number): Date {
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const targetYear = y + Math.floor(m / 12);
  const targetMonth = ((m % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return new Date(Date.UTC(targetYear, targetMonth, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
}

export function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * DAY_MS);
}

/** Points earned at `earnedAt` count toward a rolling_12m tier until this instant (exclusive). */
export function rollingExitOf(earnedAt: Date): Date {
  return addMonthsUtc(earnedAt, 12);
}
