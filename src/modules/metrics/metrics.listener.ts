import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { JobQueue } from '../../infra/queue';
import { batchOf, CustomerScoped, distinctCustomers } from '../../shared/domain-event';
import { CUSTOMER_EVENTS, CustomerChangedEvent, CustomersService } from '../customers';
import { PURCHASE_EVENTS, PurchaseRecordedEvent, PurchaseRefundedEvent } from '../purchases';
import { METRICS_JOBS, METRICS_QUEUE, NIGHTLY_CRON } from './metrics.jobs';
import { MetricsService } from './metrics.service';

/**
 * Wires metrics into the rest of the app: every recorded or refunded purchase queues a recompute of its customer
 * (whoever recorded it), a hard-deleted customer's row is dropped, the customer list gains the purchase filters,
 * and the nightly refresh is scheduled.
 */
@Injectable()
export class MetricsListener implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly metrics: MetricsService,
    private readonly customers: CustomersService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.customers.registerListFilter((tenantId, query) => this.metrics.listFilters(tenantId, query));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(METRICS_QUEUE, 'nightly-refresh-windows', NIGHTLY_CRON, METRICS_JOBS.nightly, {});
  }

  @OnEvent(batchOf(PURCHASE_EVENTS.recorded))
  @OnEvent(batchOf(PURCHASE_EVENTS.refunded))
  async onPurchases(events: Array<PurchaseRecordedEvent | PurchaseRefundedEvent>): Promise<void> {
    await this.enqueue(events);
  }

  @OnEvent(CUSTOMER_EVENTS.deleted)
  async onCustomerDeleted(e: CustomerChangedEvent): Promise<void> {
    if (e.hard) await this.metrics.forgetCustomer(e.tenantId, e.customerId);
  }

  private async enqueue(events: CustomerScoped[]): Promise<void> {
    if (events.length) await this.metrics.enqueueCustomers(distinctCustomers(events));
  }
}
