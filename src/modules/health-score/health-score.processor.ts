import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { HEALTH_JOBS, HEALTH_QUEUE } from './health-score.constants';
import { HealthRecomputeService } from './health-recompute.service';

/** Thin worker for the health-score queue (BullMQ, or called in process in embedded mode). */
@Processor(HEALTH_QUEUE)
export class HealthScoreProcessor extends WorkerHost {
  constructor(private readonly health: HealthRecomputeService) {
    super();
  }

  async process(job: Job<{ tenantId?: string; customerId?: string; customerIds?: string[] }>): Promise<unknown> {
    const { tenantId, customerId } = job.data;
    switch (job.name) {
      case HEALTH_JOBS.customer:
        return this.health.recomputeCustomer(tenantId!, customerId!);
      case HEALTH_JOBS.customers:
        return this.health.recomputeCustomers(tenantId!, job.data.customerIds ?? []);
      case HEALTH_JOBS.tenant:
        return this.health.recomputeTenant(tenantId!, {
          onProgress: (processed, total) => job.updateProgress({ processed, total, percent: total ? Math.floor((processed / total) * 100) : 100 }),
        });
      case HEALTH_JOBS.all:
        return this.health.recomputeAll((p) => job.updateProgress({ ...p }));
      case HEALTH_JOBS.summary:
        return this.health.refreshSummary(tenantId!);
      default:
        throw new Error(`unknown health-score job ${job.name}`);
    }
  }
}
