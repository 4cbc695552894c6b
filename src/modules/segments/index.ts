export { SegmentsModule } from './segments.module';
export { SegmentsService, SEGMENTS_QUEUE } from './segments.service';
export { CustomerFactsRegistry, PROVIDED_FACTS } from './customer-facts.registry';
export type { CustomerFactProvider, ProvidedFact } from './customer-facts.registry';
export { SEGMENT_EVENTS } from './segments.events';
export type { SegmentMembershipEvent } from './segments.events';
