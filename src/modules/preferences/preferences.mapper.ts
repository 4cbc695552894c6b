import { ConsentChangeDto, PreferencesDto } from './dto/preferences.dto';
import { ConsentChange } from './entities/consent-change.entity';
import { PreferencesView } from './preferences.rules';

export const toPreferencesDto = (v: PreferencesView): PreferencesDto => ({ ...v });

export function toConsentChangeDto(c: ConsentChange): ConsentChangeDto {
  return { id: c.id, granted: !!c.granted, source: c.source, at: c.at, changedBy: c.changedBy, createdAt: c.createdAt };
}
