import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobQueue, QueueModule } from '../../infra/queue';
import { CustomersModule } from '../customers';
import { IdentityModule } from '../identity';
import { CustomerFactsRegistry } from './customer-facts.registry';
import { SegmentAudienceResolver } from './segment-audience.resolver';
import { SegmentListFilter } from './segment-list-filter';
import { SegmentsController } from './segments.controller';
import { SegmentsListener } from './segments.listener';
import { SegmentsProcessor } from './segments.processor';
import { SegmentsRepository } from './segments.repository';
import { SEGMENT_JOBS, SEGMENTS_QUEUE, SegmentsService } from './segments.service';

@Module({
  imports: [CustomersModule, IdentityModule, QueueModule.registerQueue(SEGMENTS_QUEUE)],
  controllers: [SegmentsController],
  providers: [SegmentsRepository, SegmentsService, CustomerFactsRegistry, SegmentsProcessor, SegmentsListener, SegmentListFilter, SegmentAudienceResolver],
  exports: [SegmentsService, CustomerFactsRegistry],
})
export class SegmentsModule implements OnApplicationBootstrap {
  constructor(
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(SEGMENTS_QUEUE, 'refresh', this.config.segmentsCron, SEGMENT_JOBS.all, {});
  }
}
