export { PreferencesModule } from './preferences.module';
export { PreferencesService } from './preferences.service';
export { effectiveChannels } from './preferences.rules';
export type { PreferencesView } from './preferences.rules';
export { PREFERENCE_EVENTS } from './preferences.events';
export type { PreferencesUpdatedEvent } from './preferences.events';
export { PreferencesDto } from './dto/preferences.dto';
export { CHANNELS } from './entities/customer-preferences.entity';
export type { Channel, ChannelFlags, MarketingConsent, QuietHours } from './entities/customer-preferences.entity';
