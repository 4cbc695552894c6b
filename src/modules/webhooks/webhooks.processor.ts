import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobQueue } from '../../infra/queue';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { DeliverJobData, WEBHOOK_JOBS, WEBHOOKS_QUEUE } from './webhook-queue';

/** Thin: one attempt per 'deliver' job, the safety sweep per 'sweep' tick. */
@Processor(WEBHOOKS_QUEUE)
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly deliveries: WebhookDeliveryService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    // Deliveries mostly wait on the network, so one worker runs many at once (BullMQ only; embedded runs one).
    if (this.config.redisUrl) {
      try {
        this.worker.concurrency = this.config.webhooks.concurrency;
      } catch (e) {
        new Logger('Webhooks').error(`no BullMQ worker for ${WEBHOOKS_QUEUE}: deliveries will not run (${(e as Error).message})`);
      }
    }
    await this.jobs.schedule(WEBHOOKS_QUEUE, 'webhooks-sweep', '* * * * *', WEBHOOK_JOBS.sweep, {});
  }

  async process(job: { name: string; data: unknown }): Promise<unknown> {
    if (job.name === WEBHOOK_JOBS.deliver) {
      const data = job.data as DeliverJobData;
      return this.deliveries.attempt(data.deliveryIds ?? [], { claimToken: data.claimToken });
    }
    if (job.name === WEBHOOK_JOBS.sweep) return this.deliveries.sweep();
    new Logger('Webhooks').warn(`unknown job ${job.name}`);
    return null;
  }
}
