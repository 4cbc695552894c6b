import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { METRICS_JOBS, METRICS_QUEUE } from './metrics.jobs';
import { MetricsService } from './metrics.service';

interface MetricsJobData {
  tenantId?: string;
  customerId?: string;
  customerIds?: string[];
}

/** Thin worker for the purchase-metrics queue (BullMQ, or in process in embedded mode). */
@Processor(METRICS_QUEUE)
export class MetricsProcessor extends WorkerHost {
  constructor(private readonly metrics: MetricsService) {
    super();
  }

  async process(job: Job<MetricsJobData>): Promise<unknown> {
    const { tenantId, customerId } = job.data;
    switch (job.name) {
      case METRICS_JOBS.customer:
        return this.metrics.recomputeCustomer(tenantId!, customerId!);
      case METRICS_JOBS.customers:
        return this.metrics.recomputeCustomers(tenantId!, job.data.customerIds ?? []);
      case METRICS_JOBS.tenant:
        return this.metrics.recomputeTenant(tenantId!, (p) => job.updateProgress(p));
      case METRICS_JOBS.nightly:
        return this.metrics.refreshWindows();
      default:
        throw new Error(`purchase-metrics: unknown job ${job.name}`);
    }
  }
}
