import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers';
import { HealthScoreModule } from '../health-score';
import { IdentityModule } from '../identity';
import { SegmentsModule } from '../segments';
import { ActivityAnalyticsRepository } from './activity-analytics.repository';
import { ActivityAnalyticsService } from './activity-analytics.service';
import { AnalyticsCache } from './analytics-cache';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { RiskAnalyticsRepository } from './risk-analytics.repository';
import { RiskAnalyticsService } from './risk-analytics.service';

@Module({
  imports: [IdentityModule, CustomersModule, SegmentsModule, HealthScoreModule],
  controllers: [AnalyticsController],
  providers: [
    AnalyticsRepository, RiskAnalyticsRepository, ActivityAnalyticsRepository, AnalyticsCache, AnalyticsService, RiskAnalyticsService, ActivityAnalyticsService,
  ],
  exports: [RiskAnalyticsService],
})
export class AnalyticsModule {}
