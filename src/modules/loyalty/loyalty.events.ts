import { LoyaltyTier } from '../../shared/customer-segments';

/** In-process domain events of the loyalty module, emitted after the change commits. */
export const LOYALTY_EVENTS = {
  tierChanged: 'loyalty.tier_changed',
  pointsEarned: 'loyalty.points_earned',
  pointsRedeemed: 'loyalty.points_redeemed',
  pointsExpired: 'loyalty.points_expired',
} as const;

/** Points earned (earn rows, including those of purchases), redeemed, or expired (one event per ledger row). */
export interface LoyaltyPointsEvent {
  tenantId: string;
  customerId: string;
  transactionId: string;
  /** Positive for earned, negative for redeemed and expired. */
  points: number;
  balanceAfter: number;
  reason: string | null;
  reference: string | null;
  occurredAt: string;
  /** Keeps the webhook event id stable when the same ledger row is announced twice. */
  dedupeKey: string;
}

export interface LoyaltyTierChangedEvent {
  tenantId: string;
  customerId: string;
  fromTier: LoyaltyTier;
  toTier: LoyaltyTier;
  reason: 'upgrade' | 'downgrade' | 'program_change';
  qualifyingPoints: number;
  /** When the change took effect (a downgrade: the end of its grace period). */
  effectiveAt: string;
}
