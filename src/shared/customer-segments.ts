/**
 * Segment vocabularies shared by the module that computes them (metrics, loyalty) and the customer list that
 * filters by them, so neither has to import the other.
 */
export const FREQUENCY_BANDS = ['one_time', 'occasional', 'regular', 'frequent'] as const;
export type FrequencyBand = (typeof FREQUENCY_BANDS)[number];

/** Loyalty tiers in rank order; a program uses some or all of them, in this order. */
export const LOYALTY_TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export type LoyaltyTier = (typeof LOYALTY_TIERS)[number];
