import { HealthScoreModule } from '../health-score';
import { LoyaltyModule } from '../loyalty';
import { MetricsModule } from '../metrics';
import { ContextSections } from './context-sections';
import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers';
import { IdentityModule } from '../identity';
import { NotesModule } from '../notes';
import { PreferencesModule } from '../preferences';
import { PurchasesModule } from '../purchases';
import { ActivityRepository } from './activity.repository';
import { CustomerActivityController } from './customer-activity.controller';
import { CustomerActivityEraser } from './customer-activity.eraser';
import { CustomerContextService } from './customer-context.service';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersRepository } from './dead-letters.repository';
import { DeadLettersService } from './dead-letters.service';
import { EventStreamController } from './event-stream.controller';
import { EventStreamService } from './event-stream.service';
import { EventTransportsShutdown } from './event-transports.shutdown';
import { EventsController } from './events.controller';
import { EventsNatsController } from './events.nats.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { IdempotencyRepository } from './idempotency.repository';
import { EventBatchWriter } from './ingest/event-batch.writer';
import { EventIngestService } from './ingest/event-ingest.service';
import { TenantDirectory } from './ingest/tenant-directory';
import { ProfileChangesListener } from './profile-changes.listener';
import { ProfileChangesRepository } from './profile-changes.repository';
import { TimelineService } from './timeline.service';

@Module({
  imports: [IdentityModule, CustomersModule, PurchasesModule, NotesModule, PreferencesModule, MetricsModule, LoyaltyModule, HealthScoreModule],
  // DeadLettersController and EventStreamController before EventsController so /events/dead-letters and
  // /events/stream are not read as /events/:id.
  controllers: [DeadLettersController, EventStreamController, EventsController, CustomerActivityController, EventsNatsController],
  providers: [
    ContextSections,
    EventsRepository, ActivityRepository, DeadLettersRepository, IdempotencyRepository, ProfileChangesRepository,
    TenantDirectory, EventBatchWriter, EventIngestService, EventsService, DeadLettersService, TimelineService, CustomerContextService,
    ProfileChangesListener, EventStreamService, CustomerActivityEraser, EventTransportsShutdown,
  ],
  exports: [EventIngestService, CustomerContextService],
})
export class EventsModule {}
