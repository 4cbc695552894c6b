import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { SEGMENT_JOBS, SEGMENTS_QUEUE, SegmentsService } from './segments.service';

/** Thin worker for segment membership. */
@Processor(SEGMENTS_QUEUE)
export class SegmentsProcessor extends WorkerHost {
  constructor(private readonly segments: SegmentsService) {
    super();
  }

  async process(job: Job<{ tenantId?: string; customerId?: string; customerIds?: string[]; segmentId?: string }>): Promise<unknown> {
    const { tenantId, customerId, segmentId } = job.data;
    switch (job.name) {
      case SEGMENT_JOBS.segment:
        return this.segments.recomputeSegment(tenantId!, segmentId!);
      case SEGMENT_JOBS.customers: {
        const r = await this.segments.recomputeCustomers(tenantId!, job.data.customerIds ?? []);
        return { customers: job.data.customerIds?.length ?? 0, entered: r.entered.length, exited: r.exited.length };
      }
      case SEGMENT_JOBS.customer:
        return this.segments.recomputeCustomer(tenantId!, customerId!);
      case SEGMENT_JOBS.tenant:
        return this.segments.refreshTenant(tenantId!, (done, total) => job.updateProgress({ processed: done, total, percent: Math.floor((done / total) * 100) }));
      case SEGMENT_JOBS.all:
        return this.segments.refreshAll((percent) => job.updateProgress(percent));
      default:
        throw new Error(`unknown segments job ${job.name}`);
    }
  }
}
