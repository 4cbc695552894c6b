export { AnalyticsModule } from './analytics.module';
export { RiskAnalyticsService } from './risk-analytics.service';
export { ChurnRiskDto } from './dto/analytics.dto';
