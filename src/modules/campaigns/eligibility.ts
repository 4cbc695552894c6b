import type { CampaignChannel } from './entities/campaign.entity';
import type { ExclusionReason } from './entities/campaign-recipient.entity';

/** What a send needs to know about one audience member (customers joined with customer_preferences). */
export interface AudienceContact {
  id: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  deleted: boolean;
  /** null when the customer has no preferences row. */
  preferences: { doNotContact: boolean; channels: Record<string, boolean>; marketingConsent: { granted?: boolean } | null } | null;
}

/**
 * Why a customer must not get this campaign, or null when they may. Marketing needs a recorded consent: no
 * preferences row means no consent. Checked in order: gone, do-not-contact, consent, channel opt-in, an address
 * for the channel.
 */
export function exclusionReason(c: AudienceContact | undefined, channel: CampaignChannel): ExclusionReason | null {
  if (!c || c.deleted) return 'notFound';
  if (c.preferences?.doNotContact) return 'doNotContact';
  if (c.preferences?.marketingConsent?.granted !== true) return 'noConsent';
  if (c.preferences.channels?.[channel] !== true) return 'channelOptOut';
  if ((channel === 'email' && !c.email) || (channel === 'sms' && !c.phone)) return 'missingContact';
  return null;
}
