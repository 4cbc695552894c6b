import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { LoyaltyCatchUpService } from './loyalty-catch-up.service';
import { LoyaltyMaintenanceService } from './loyalty-maintenance.service';
import { LoyaltyPurchasesService, SyncOrderInput } from './loyalty-purchases.service';
import { LOYALTY_JOBS, LOYALTY_QUEUE } from './loyalty.jobs';

/** Thin worker for the loyalty queue (BullMQ, or in process in embedded mode). */
@Processor(LOYALTY_QUEUE)
export class LoyaltyProcessor extends WorkerHost {
  constructor(
    private readonly purchases: LoyaltyPurchasesService,
    private readonly maintenance: LoyaltyMaintenanceService,
    private readonly catchUp: LoyaltyCatchUpService,
  ) {
    super();
  }

  async process(job: Job<Record<string, unknown>>): Promise<unknown> {
    switch (job.name) {
      case LOYALTY_JOBS.syncOrder:
        return this.purchases.syncOrder(job.data as unknown as SyncOrderInput);
      case LOYALTY_JOBS.syncOrders:
        return this.purchases.syncOrders(String(job.data.tenantId), (job.data.orderIds as string[] | undefined) ?? [], job.data.award === true);
      case LOYALTY_JOBS.catchUp:
        return this.catchUp.run();
      case LOYALTY_JOBS.sweep:
        return this.maintenance.sweep();
      case LOYALTY_JOBS.reevaluateTenant:
        return this.maintenance.reevaluateTenant(String(job.data.tenantId));
      default:
        throw new Error(`loyalty: unknown job ${job.name}`);
    }
  }
}
