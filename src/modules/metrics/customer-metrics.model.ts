import { FieldError } from '../../shared/app-error';
import { FrequencyBand } from '../../shared/customer-segments';

const DAY_MS = 86_400_000;
/** Frequency bands count orders in this many days before the computation. */
export const FREQUENCY_WINDOW_DAYS = 365;
export const CLV_MODEL = 'rate-recency-v1';

/** Lowest order count (in the window) of each band above one_time; one_time is 1 order. */
export interface FrequencyThresholds {
  occasional: number;
  regular: number;
  frequent: number;
}

export const DEFAULT_FREQUENCY_THRESHOLDS: FrequencyThresholds = { occasional: 2, regular: 5, frequent: 12 };

export function frequencyBandOf(windowOrders: number, t: FrequencyThresholds): FrequencyBand | null {
  if (windowOrders >= t.frequent) return 'frequent';
  if (windowOrders >= t.regular) return 'regular';
  if (windowOrders >= t.occasional) return 'occasional';
  return windowOrders >= 1 ? 'one_time' : null;
}

/** Inclusive order-count range of a band; `max` null = no upper bound. */
export function bandRange(band: FrequencyBand, t: FrequencyThresholds): { min: number; max: number | null } {
  switch (band) {
    case 'one_time':
      return { min: 1, max: t.occasional - 1 };
    case 'occasional':
      return { min: t.occasional, max: t.regular - 1 };
    case 'regular':
      return { min: t.regular, max: t.frequent - 1 };
    default:
      return { min: t.frequent, max: null };
  }
}

/** Thresholds must be integers with 2 <= occasional < regular < frequent. */
export function thresholdErrors(t: FrequencyThresholds): FieldError[] {
  const errors: FieldError[] = [];
  if (t.occasional < 2) errors.push({ field: 'frequencyBands.occasional', message: 'must be at least 2 (one order is one_time)' });
  if (t.regular <= t.occasional) errors.push({ field: 'frequencyBands.regular', message: 'must be greater than occasional' });
  if (t.frequent <= t.regular) errors.push({ field: 'frequencyBands.frequent', message: 'must be greater than regular' });
  return errors;
}

export function windowStartOf(now: Date): Date {
  return new Date(now.getTime() - FREQUENCY_WINDOW_DAYS * DAY_MS);
}

export interface ClvInput {
  orderCount: number;
  totalSpentMinor: number;
  firstPurchaseAt: Date | null;
  lastPurchaseAt: Date | null;
}

export interface ClvPrediction {
  predicted12mMinor: number;
  expectedOrders12m: number;
}

/**
 * Predicted net revenue of the next 12 months (docs/metrics.md): average order value x expected orders, where
 * expected orders = the customer's own yearly purchase rate (orders / max(tenure, 1 year)) x an activity factor
 * that is 1 until the customer is overdue by their usual gap between orders (1 year for one-order customers) and
 * then falls linearly to 0 over one more year of silence.
 */
export function predictClv(m: ClvInput, now: Date): ClvPrediction {
  if (m.orderCount <= 0 || !m.firstPurchaseAt || !m.lastPurchaseAt) return { predicted12mMinor: 0, expectedOrders12m: 0 };
  const days = (a: Date, b: Date) => Math.max(0, (a.getTime() - b.getTime()) / DAY_MS);
  const aov = m.totalSpentMinor / m.orderCount;
  const tenureDays = days(now, m.firstPurchaseAt);
  const ratePerYear = (m.orderCount * 365) / Math.max(tenureDays, 365);
  const usualGapDays = m.orderCount >= 2 ? days(m.lastPurchaseAt, m.firstPurchaseAt) / (m.orderCount - 1) : 365;
  const overdueDays = Math.max(0, days(now, m.lastPurchaseAt) - usualGapDays);
  const activity = Math.max(0, 1 - overdueDays / 365);
  const expectedOrders = ratePerYear * activity;
  return { predicted12mMinor: Math.round(aov * expectedOrders), expectedOrders12m: Math.round(expectedOrders * 100) / 100 };
}

/** Whole days since the last purchase at read time; null without purchases. */
export function daysSince(at: Date | null, now: Date): number | null {
  return at ? Math.max(0, Math.floor((now.getTime() - at.getTime()) / DAY_MS)) : null;
}

/**
 * Splits the customer-id space into `n` ranges of about equal size without reading anything: ids are random
 * UUIDs (v4), so their first 32 bits are uniform. Returns the n-1 inclusive upper bounds, ascending; range k is
 * (bound[k-1], bound[k]], the first open below and the last open above. Lower-case hex sorts the same as Postgres'
 * uuid order, so the ranges are the same on every driver.
 */
export function uuidChunkBounds(n: number): string[] {
  const bounds: string[] = [];
  for (let k = 1; k < n; k++) {
    const prefix = Math.floor((k * 0x1_0000_0000) / n) - 1;
    bounds.push(`${prefix.toString(16).padStart(8, '0')}-ffff-ffff-ffff-ffffffffffff`);
  }
  return bounds;
}
