import { Module } from '@nestjs/common';
import { QueueModule } from '../../infra/queue';
import { CustomersModule } from '../customers';
import { IdentityModule } from '../identity';
import { MetricsController } from './metrics.controller';
import { METRICS_QUEUE } from './metrics.jobs';
import { MetricsListener } from './metrics.listener';
import { MetricsProcessor } from './metrics.processor';
import { MetricsRepository } from './metrics.repository';
import { MetricsService } from './metrics.service';

@Module({
  imports: [IdentityModule, CustomersModule, QueueModule.registerQueue(METRICS_QUEUE)],
  controllers: [MetricsController],
  providers: [MetricsRepository, MetricsService, MetricsProcessor, MetricsListener],
  exports: [MetricsService],
})
export class MetricsModule {}
