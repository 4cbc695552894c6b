import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JobQueue } from '../../infra/queue';
import { CustomersService } from '../customers';
import { PURCHASE_EVENTS, PurchaseRecordedEvent, PurchaseRefundedEvent } from '../purchases';
import { LoyaltyMaintenanceService } from './loyalty-maintenance.service';
import { LOYALTY_JOBS, LOYALTY_QUEUE, SWEEP_CRON } from './loyalty.jobs';

/**
 * Wires loyalty into the app: purchase events queue an (idempotent, retried) order sync, the customer list
 * gains the tier filter, and the expiry/tier sweep is scheduled.
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
  }

  @OnEvent(PURCHASE_EVENTS.recorded)
  async onRecorded(e: PurchaseRecordedEvent): Promise<void> {
    await this.sync(e.tenantId, e.customerId, e.orderId, true);
  }

  @OnEvent(PURCHASE_EVENTS.refunded)
  async onRefunded(e: PurchaseRefundedEvent): Promise<void> {
    await this.sync(e.tenantId, e.customerId, e.orderId, false);
  }

  private async sync(tenantId: string, customerId: string, orderId: string, award: boolean): Promise<void> {
    await this.jobs.add(LOYALTY_QUEUE, LOYALTY_JOBS.syncOrder, { tenantId, customerId, orderId, award }, { attempts: 5, backoffMs: 1000 });
  }
}
