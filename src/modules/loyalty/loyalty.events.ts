import { LoyaltyTier } from '../../shared/customer-segments';

/** In-process domain events of the loyalty module, emitted after the change commits. */
export const LOYALTY_EVENTS = {
  tierChanged: 'loyalty.tier_changed',
} as const;

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
