export { SimulationModule } from './simulation.module';
// Tests and seeds write activity through the same (temporary) ingest path as the simulation.
export { ActivityIngestService } from './activity-ingest.service';
export type { ActivityEnvelope } from './activity-ingest.service';
