export { HealthScoreModule } from './health-score.module';
export { HealthScoreService, HEALTH_QUEUE, HEALTH_JOBS } from './health-score.service';
export { HealthConfigService } from './health-config.service';
export { HEALTH_EVENTS, EVENT_INGESTED } from './health-score.events';
export type { HealthBandChangedEvent, HealthScoreChangedEvent, HealthRecomputedEvent, EventIngestedEvent } from './health-score.events';
export { HEALTH_BANDS, DEFAULT_HEALTH_MODEL, computeHealth } from './health-score.model';
export type { HealthBand, HealthModel } from './health-score.model';
export { CustomerHealthDto } from './dto/customer-health.dto';
