import { Injectable } from '@nestjs/common';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { WebhooksRepository } from './webhooks.repository';

const TTL_MS = 5_000;

/**
 * Active endpoints per tenant, read once per few seconds instead of once per event. Changes made through this
 * instance invalidate at once; another instance's changes show within TTL_MS (a delivery to an endpoint switched
 * off meanwhile is cancelled when its attempt finds the endpoint inactive).
 */
@Injectable()
export class WebhookEndpointCache {
  private readonly entries = new Map<string, { until: number; endpoints: Promise<WebhookEndpoint[]> }>();

  constructor(private readonly repo: WebhooksRepository) {}

  active(tenantId: string): Promise<WebhookEndpoint[]> {
    const hit = this.entries.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.endpoints;
    const endpoints = this.repo.activeForTenant(tenantId);
    this.entries.set(tenantId, { until: Date.now() + TTL_MS, endpoints });
    endpoints.catch(() => this.entries.delete(tenantId));
    if (this.entries.size > 50_000) this.entries.clear();
    return endpoints;
  }

  /** An endpoint by id: from the active set when it is there, else read (disabled endpoints, the test button). */
  async byId(tenantId: string, id: string): Promise<WebhookEndpoint | null> {
    return (await this.active(tenantId)).find((e) => e.id === id) ?? (await this.repo.findById(tenantId, id));
  }

  invalidate(tenantId: string): void {
    this.entries.delete(tenantId);
  }
}
