import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthScoreService } from '../health-score';
import { LoyaltyService } from '../loyalty';
import { MetricsService } from '../metrics';
import { CustomerContextService } from './customer-context.service';

/** Adds the other modules' views of a customer (purchase metrics, loyalty, health) to GET /customers/:id/context. */
@Injectable()
export class ContextSections implements OnModuleInit {
  constructor(
    private readonly context: CustomerContextService,
    private readonly metrics: MetricsService,
    private readonly loyalty: LoyaltyService,
    private readonly health: HealthScoreService,
  ) {}

  onModuleInit(): void {
    this.context.registerSection('metrics', (tenantId, customerId) => this.metrics.getMetrics(tenantId, customerId));
    this.context.registerSection('loyalty', (tenantId, customerId) => this.loyalty.getLoyaltySummary(tenantId, customerId));
    this.context.registerSection('health', (tenantId, customerId) => this.health.getHealth(tenantId, customerId));
  }
}
