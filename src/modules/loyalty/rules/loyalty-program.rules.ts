import { FieldError } from '../../../shared/app-error';
import { LOYALTY_TIERS, LoyaltyTier } from '../../../shared/customer-segments';
import { currencyExponent } from '../../../shared/money';

export const ROUNDINGS = ['floor', 'round', 'ceil'] as const;
export type Rounding = (typeof ROUNDINGS)[number];
export const TIER_BASES = ['lifetime', 'rolling_12m'] as const;
export type TierBasis = (typeof TIER_BASES)[number];

export interface TierDef {
  name: LoyaltyTier;
  /** Qualifying points needed; the first tier's is 0. */
  threshold: number;
}

export interface ProgramRules {
  enabled: boolean;
  pointsPerCurrencyUnit: number;
  rounding: Rounding;
  /** Days an earned lot stays redeemable; null = never expires. */
  expiryDays: number | null;
  tierBasis: TierBasis;
  tiers: TierDef[];
  downgradeGraceDays: number;
}

export const DEFAULT_PROGRAM: ProgramRules = {
  enabled: true,
  pointsPerCurrencyUnit: 1,
  rounding: 'floor',
  expiryDays: 365,
  tierBasis: 'lifetime',
  tiers: [
    { name: 'bronze', threshold: 0 },
    { name: 'silver', threshold: 1000 },
    { name: 'gold', threshold: 5000 },
    { name: 'platinum', threshold: 10000 },
  ],
  downgradeGraceDays: 30,
};

/** Cross-field rules the DTO cannot express: tiers in rank order, unique, thresholds from 0 strictly increasing. */
export function programErrors(p: Pick<ProgramRules, 'tiers'>): FieldError[] {
  const errors: FieldError[] = [];
  if (!p.tiers.length) return [{ field: 'tiers', message: 'must name at least one tier' }];
  if (p.tiers[0].threshold !== 0) errors.push({ field: 'tiers[0].threshold', message: 'must be 0 so every member has a tier' });
  for (let i = 1; i < p.tiers.length; i++) {
    const prev = p.tiers[i - 1];
    const cur = p.tiers[i];
    if (LOYALTY_TIERS.indexOf(cur.name) <= LOYALTY_TIERS.indexOf(prev.name)) {
      errors.push({ field: `tiers[${i}].name`, message: `must come after ${prev.name} (tiers are listed in the order ${LOYALTY_TIERS.join(', ')}, each once)` });
    }
    if (cur.threshold <= prev.threshold) {
      errors.push({ field: `tiers[${i}].threshold`, message: `must be greater than the threshold of ${prev.name} (${prev.threshold})` });
    }
  }
  return errors;
}

/** Points a purchase of `amountMinor` earns: major units x rate, rounded as the program says. */
export function pointsForAmount(amountMinor: number, currency: string, p: Pick<ProgramRules, 'pointsPerCurrencyUnit' | 'rounding'>): number {
  const raw = (amountMinor / 10 ** currencyExponent(currency)) * p.pointsPerCurrencyUnit;
  // Drop binary float noise (0.1 * 3 = 0.30000000000000004) before rounding, so floor/ceil see the decimal value.
  const clean = Math.round(raw * 1e6) / 1e6;
  return Math.max(0, Math[p.rounding](clean));
}

/**
 * Points a refund takes back, as the difference between the refunded share of the earned points after and
 * before it (each rounded down), so partial refunds never take more than their share and a full refund takes
 * back exactly what the order earned.
 */
export function pointsToReverse(earned: number, amountMinor: number, refundedBefore: number, refundedAfter: number): number {
  if (earned <= 0 || amountMinor <= 0) return 0;
  const share = (refunded: number) => Number((BigInt(earned) * BigInt(Math.min(refunded, amountMinor))) / BigInt(amountMinor));
  return Math.max(0, share(refundedAfter) - share(Math.max(0, refundedBefore)));
}
