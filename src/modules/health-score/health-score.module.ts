import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobQueue, QueueModule } from '../../infra/queue';
import { CustomersModule } from '../customers';
import { CustomerHealthController, HealthScoreController } from './health-score.controller';
import { HealthConfigService } from './health-config.service';
import { HealthListFilters } from './health-list-filters';
import { HealthScoreListener } from './health-score.listener';
import { HealthScoreProcessor } from './health-score.processor';
import { HealthScoreRepository } from './health-score.repository';
import { HealthStageRepository } from './health-stage.repository';
import { HEALTH_JOBS, HEALTH_QUEUE } from './health-score.constants';
import { HealthRecomputeService } from './health-recompute.service';
import { HealthScoreService } from './health-score.service';
import { HealthSummaryRepository } from './health-summary.repository';

@Module({
  imports: [CustomersModule, QueueModule.registerQueue(HEALTH_QUEUE)],
  controllers: [HealthScoreController, CustomerHealthController],
  providers: [
    HealthScoreRepository, HealthStageRepository, HealthSummaryRepository, HealthConfigService, HealthRecomputeService, HealthScoreService,
    HealthScoreProcessor, HealthScoreListener, HealthListFilters,
  ],
  exports: [HealthScoreService, HealthRecomputeService, HealthConfigService],
})
export class HealthScoreModule implements OnApplicationBootstrap {
  constructor(
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One repeatable job: BullMQ keeps a single scheduler per id however many instances upsert it. */
  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(HEALTH_QUEUE, 'hourly-recompute', this.config.healthScoreCron, HEALTH_JOBS.all, {});
  }
}
