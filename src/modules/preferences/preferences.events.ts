import type { PreferencesView } from './preferences.rules';

/** In-process domain events (@nestjs/event-emitter) the preferences module emits after a change commits. */
export const PREFERENCE_EVENTS = {
  updated: 'preferences.updated',
} as const;

export interface PreferencesUpdatedEvent {
  tenantId: string;
  customerId: string;
  preferences: PreferencesView;
  consentChanged: boolean;
}
