import { ChannelFlags, CustomerPreferences, MarketingConsent, QuietHours } from './entities/customer-preferences.entity';

/** What callers see: the stored preferences (or the defaults) plus what doNotContact leaves usable. */
export interface PreferencesView {
  customerId: string;
  channels: ChannelFlags;
  effectiveChannels: ChannelFlags;
  preferredChannel: CustomerPreferences['preferredChannel'];
  doNotContact: boolean;
  marketingConsent: MarketingConsent;
  language: string | null;
  timezone: string | null;
  quietHours: QuietHours | null;
  custom: Record<string, string>;
  /** 0 while nothing was ever saved. */
  version: number;
  updatedAt: Date | null;
}

type StoredFields = Pick<CustomerPreferences, 'channels' | 'preferredChannel' | 'doNotContact' | 'marketingConsent' | 'language' | 'timezone' | 'quietHours' | 'custom'>;

/** Preferences of a customer who never set any: email allowed, nothing else, no marketing consent. */
export function defaultPreferences(): StoredFields {
  return {
    channels: { email: true, sms: false, call: false, push: false },
    preferredChannel: null,
    doNotContact: false,
    marketingConsent: { granted: false, source: null, at: null },
    language: null,
    timezone: null,
    quietHours: null,
    custom: {},
  };
}

/** doNotContact overrides every opt-in. */
export function effectiveChannels(channels: ChannelFlags, doNotContact: boolean): ChannelFlags {
  return {
    email: !doNotContact && !!channels.email,
    sms: !doNotContact && !!channels.sms,
    call: !doNotContact && !!channels.call,
    push: !doNotContact && !!channels.push,
  };
}

export function viewOf(customerId: string, stored: CustomerPreferences | null): PreferencesView {
  const p = stored ?? defaultPreferences();
  return {
    customerId,
    channels: p.channels,
    effectiveChannels: effectiveChannels(p.channels, !!p.doNotContact),
    preferredChannel: p.preferredChannel,
    doNotContact: !!p.doNotContact,
    marketingConsent: p.marketingConsent,
    language: p.language,
    timezone: p.timezone,
    quietHours: p.quietHours,
    custom: p.custom ?? {},
    version: stored?.version ?? 0,
    updatedAt: stored?.updatedAt ?? null,
  };
}

/**
 * The consent to store for an input, and whether it differs from the current one (a history row is due).
 * `at` defaults to the current value while granted and source stay the same, else to `now`.
 */
export function nextConsent(
  current: MarketingConsent,
  input: { granted: boolean; source?: string | null; at?: string | null },
  now: Date,
): { consent: MarketingConsent; changed: boolean } {
  const source = input.source ?? null;
  const sameDecision = input.granted === current.granted && source === current.source;
  const at = input.at ? new Date(input.at).toISOString() : sameDecision ? current.at : now.toISOString();
  const consent = { granted: input.granted, source, at };
  return { consent, changed: !sameDecision || at !== current.at };
}
