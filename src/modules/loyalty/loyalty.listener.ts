import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JobQueue, tenantBatchJobs } from '../../infra/queue';
import { batchOf } from '../../shared/domain-event';
import { CustomersService } from '../customers';
import { PURCHASE_EVENTS, PurchaseRecordedEvent, PurchaseRefundedEvent } from '../purchases';
import { LoyaltyMaintenanceService } from './loyalty-maintenance.service';
import { CATCH_UP_CRON, LOYALTY_JOBS, LOYALTY_QUEUE, SWEEP_CRON } from './loyalty.jobs';

/**
 * Wires loyalty into the app: purchase events queue an (idempotent, retried) order sync, the customer list
 * gains the tier filter, and the expiry/tier sweep and the catch-up of lost order syncs are scheduled.
 */
@Injectable()
export class LoyaltyListener implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly maintenance: LoyaltyMaintenanceService,
    private readonly customers: CustomersService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.customers.registerListFilter((tenantId, query) => this.maintenance.tierFilter(tenantId, query));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(LOYALTY_QUEUE, 'loyalty-sweep', SWEEP_CRON, LOYALTY_JOBS.sweep, {});
    await this.jobs.schedule(LOYALTY_QUEUE, 'loyalty-catch-up', CATCH_UP_CRON, LOYALTY_JOBS.catchUp, {});
  }

  @OnEvent(batchOf(PURCHASE_EVENTS.recorded))
  async onRecorded(events: PurchaseRecordedEvent[]): Promise<void> {
    await this.sync(events, true);
  }

  @OnEvent(batchOf(PURCHASE_EVENTS.refunded))
  async onRefunded(events: PurchaseRefundedEvent[]): Promise<void> {
    await this.sync(events, false);
  }

  private async sync(events: Array<PurchaseRecordedEvent | PurchaseRefundedEvent>, award: boolean): Promise<void> {
    const orders = events.map((e): [string, string] => [e.tenantId, e.orderId]);
    const jobs = tenantBatchJobs(LOYALTY_JOBS.syncOrders, 'orderIds', orders, { opts: { attempts: 5, backoffMs: 1000 }, data: { award }, variant: award ? ':award' : ':refund' });
    if (jobs.length) await this.jobs.addMany(LOYALTY_QUEUE, jobs);
  }
}
