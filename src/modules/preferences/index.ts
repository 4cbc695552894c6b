export { PreferencesModule } from './preferences.module';
export { PreferencesService } from './preferences.service';
export type { CustomerPreferences } from './entities/customer-preferences.entity';
