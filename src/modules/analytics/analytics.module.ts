import { Module } from '@nestjs/common';
import { HealthScoreModule } from '../health-score';
import { IdentityModule } from '../identity';
import { SegmentsModule } from '../segments';
import { AnalyticsCache } from './analytics-cache';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { RiskAnalyticsRepository } from './risk-analytics.repository';
import { RiskAnalyticsService } from './risk-analytics.service';

@Module({
  imports: [IdentityModule, SegmentsModule, HealthScoreModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsRepository, RiskAnalyticsRepository, AnalyticsCache, AnalyticsService, RiskAnalyticsService],
  exports: [RiskAnalyticsService],
})
export class AnalyticsModule {}
