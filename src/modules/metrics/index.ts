export { MetricsModule } from './metrics.module';
export { MetricsService } from './metrics.service';
export type { RecomputeProgress, TenantRecomputeResult } from './metrics.service';
export { METRICS_JOBS, METRICS_QUEUE } from './metrics.jobs';
export { CustomerMetricsDto, ClvDto } from './dto/metrics.dto';
export { CLV_MODEL, DEFAULT_FREQUENCY_THRESHOLDS } from './customer-metrics.model';
export type { FrequencyThresholds } from './customer-metrics.model';
