import { Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AppConfigModule } from './config';
import { AuthInfraModule } from './infra/auth';
import { DatabaseModule } from './infra/database';
import { DomainEventsModule } from './infra/domain-events';
import { HealthModule } from './infra/health/health.module';
import { HttpInfraModule } from './infra/http';
import { QueueModule } from './infra/queue';
import { AiContextModule } from './modules/ai-context';
import { AnalyticsModule } from './modules/analytics';
import { AudienceModule } from './modules/audience';
import { CampaignsModule } from './modules/campaigns';
import { CrmModule } from './modules/crm';
import { CustomersModule } from './modules/customers';
import { EventsModule } from './modules/events';
import { HealthScoreModule } from './modules/health-score';
import { IdentityModule } from './modules/identity';
import { LoyaltyModule } from './modules/loyalty';
import { McpModule } from './modules/mcp';
import { MetricsModule } from './modules/metrics';
import { NotesModule } from './modules/notes';
import { PreferencesModule } from './modules/preferences';
import { PurchasesModule } from './modules/purchases';
import { SegmentsModule } from './modules/segments';
import { SimulationModule } from './modules/simulation';
import { WebhooksModule } from './modules/webhooks';

@Module({
  imports: [
    AppConfigModule,
    EventEmitterModule.forRoot({ wildcard: false, ignoreErrors: false }),
    DomainEventsModule,
    DatabaseModule,
    HttpInfraModule,
    QueueModule.forRoot(),
    AuthInfraModule,
    HealthModule,
    IdentityModule,
    CustomersModule,
    NotesModule,
    PreferencesModule,
    PurchasesModule,
    EventsModule,
    MetricsModule,
    LoyaltyModule,
    HealthScoreModule,
    SegmentsModule,
    AnalyticsModule,
    SimulationModule,
    AudienceModule,
    WebhooksModule,
    CrmModule,
    CampaignsModule,
    AiContextModule,
    McpModule,
  ],
})
export class AppModule {}
