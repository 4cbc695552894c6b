import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { loadAppConfig } from '../../config/app-config';
import { BullMqJobQueue } from './bullmq-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobQueue } from './job-queue';
import { JobsController } from './jobs.controller';

/**
 * JobQueue for the whole app: BullMQ when REDIS_URL is set, else the in-process runner.
 * Feature modules import QueueModule.registerQueue('<name>') beside their @Processor('<name>') class.
 */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    const config = loadAppConfig();
    const imports = config.redisUrl
      ? [BullModule.forRoot({ connection: { url: config.redisUrl, maxRetriesPerRequest: null } as never, prefix: config.queuePrefix })]
      : [DiscoveryModule];
    return {
      module: QueueModule,
      imports: [ScheduleModule.forRoot(), ...imports],
      controllers: [JobsController],
      providers: [{ provide: JobQueue, useClass: config.redisUrl ? BullMqJobQueue : InProcessJobQueue }],
      exports: [JobQueue],
    };
  }

  /** Registers a BullMQ queue so its @Processor gets a worker; a no-op in embedded mode. */
  static registerQueue(...names: string[]): DynamicModule {
    if (!loadAppConfig().redisUrl) return { module: QueueModule };
    return BullModule.registerQueue(...names.map((name) => ({ name })));
  }
}
