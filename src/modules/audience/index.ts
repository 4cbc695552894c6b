export { AudienceModule } from './audience.module';
export { AudienceRegistry } from './audience-registry';
export type { AudiencePage, AudienceResolver, TierResolver } from './audience-registry';
