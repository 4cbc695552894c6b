import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OutboundUrlGuard, SecretBox } from '../../infra/outbound';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Page } from '../../shared/cursor';
import { AudienceRegistry } from '../audience';
import { ListDeliveriesQueryDto } from './dto/delivery.dto';
import { CreateWebhookDto, UpdateWebhookDto, WebhookFilterDto } from './dto/webhook.dto';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint, WebhookFilter } from './entities/webhook-endpoint.entity';
import { ALL_EVENTS, WEBHOOK_TEST_EVENT } from './webhook-event-types';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEndpointCache } from './webhook-endpoint-cache';
import { newSigningSecret } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';

const DEFAULT_OVERLAP_MINUTES = 1440;

/** Webhook endpoints: the rules for registering, changing, rotating secrets, and looking at deliveries. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly sender: WebhookDeliveryService,
    private readonly cache: WebhookEndpointCache,
    private readonly guard: OutboundUrlGuard,
    private readonly box: SecretBox,
    private readonly audiences: AudienceRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Creates an endpoint; the signing secret is returned this once. */
  async create(tenantId: string, dto: CreateWebhookDto): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    await this.assertUrl(dto.url);
    const filter = await this.checkFilter(tenantId, dto.filter);
    const id = randomUUID();
    const secret = newSigningSecret();
    const endpoint = await this.repo.insert({
      id,
      tenantId,
      url: dto.url,
      description: dto.description ?? null,
      events: normaliseEvents(dto.events),
      filter,
      active: dto.active ?? true,
      secretSealed: this.box.seal(secret, id),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      disabledReason: dto.active === false ? 'manual' : null,
      disabledAt: dto.active === false ? new Date() : null,
      consecutiveFailures: 0,
      failingSince: null,
    });
    this.cache.invalidate(tenantId);
    return { endpoint, secret };
  }

  async get(tenantId: string, id: string): Promise<WebhookEndpoint> {
    const w = await this.repo.findById(tenantId, id);
    if (!w) throw AppError.notFound(ErrorCode.WEBHOOK_NOT_FOUND, 'Webhook', id);
    return w;
  }

  async list(tenantId: string, limit = 20, cursor?: string): Promise<Page<WebhookEndpoint>> {
    const r = await this.repo.list(tenantId, limit, cursor);
    return { data: r.rows, page: { limit, nextCursor: r.nextCursor } };
  }

  async update(tenantId: string, id: string, dto: UpdateWebhookDto): Promise<WebhookEndpoint> {
    const current = await this.get(tenantId, id);
    const patch: Partial<WebhookEndpoint> = {};
    if (dto.url !== undefined && dto.url !== current.url) patch.url = (await this.assertUrl(dto.url), dto.url);
    if (dto.events !== undefined) patch.events = normaliseEvents(dto.events);
    if (dto.filter !== undefined) patch.filter = await this.checkFilter(tenantId, dto.filter);
    if (dto.description !== undefined) patch.description = dto.description;
    if (dto.active === true && !current.active) {
      Object.assign(patch, { active: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0, failingSince: null });
    } else if (dto.active === false && current.active) {
      Object.assign(patch, { active: false, disabledReason: 'manual', disabledAt: new Date() });
    }
    if (Object.keys(patch).length) await this.repo.update(tenantId, id, patch);
    this.cache.invalidate(tenantId);
    return this.get(tenantId, id);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(tenantId, id))) throw AppError.notFound(ErrorCode.WEBHOOK_NOT_FOUND, 'Webhook', id);
    this.cache.invalidate(tenantId);
  }

  /** New secret now; the old one keeps signing beside it for `overlapMinutes` so receivers can switch without a gap. */
  async rotateSecret(tenantId: string, id: string, overlapMinutes = DEFAULT_OVERLAP_MINUTES): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const current = await this.get(tenantId, id);
    const secret = newSigningSecret();
    const overlap = overlapMinutes > 0;
    await this.repo.update(tenantId, id, {
      secretSealed: this.box.seal(secret, id),
      previousSecretSealed: overlap ? current.secretSealed : null,
      previousSecretExpiresAt: overlap ? new Date(Date.now() + overlapMinutes * 60_000) : null,
    });
    this.cache.invalidate(tenantId);
    return { endpoint: await this.get(tenantId, id), secret };
  }

  async listDeliveries(tenantId: string, endpointId: string, q: ListDeliveriesQueryDto): Promise<Page<WebhookDelivery>> {
    await this.get(tenantId, endpointId);
    const limit = q.limit ?? 20;
    const r = await this.deliveries.list(tenantId, endpointId, { limit, cursor: q.cursor, status: q.status, eventId: q.eventId });
    return { data: r.rows, page: { limit, nextCursor: r.nextCursor } };
  }

  async getDelivery(tenantId: string, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    const d = await this.deliveries.findOne(tenantId, endpointId, deliveryId);
    if (!d) throw AppError.notFound(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, 'Delivery', deliveryId);
    return d;
  }

  /** Sends a delivery again, same event id and body, with a fresh set of attempts. */
  async redeliver(tenantId: string, endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    const endpoint = await this.get(tenantId, endpointId);
    const d = await this.getDelivery(tenantId, endpointId, deliveryId);
    if (!endpoint.active) throw new AppError(ErrorCode.INVALID_STATE, 'The endpoint is disabled: set active to true before redelivering', { disabledReason: endpoint.disabledReason });
    if (!(await this.deliveries.reopen(tenantId, endpointId, deliveryId, this.config.webhooks.maxAttempts, new Date()))) {
      throw new AppError(ErrorCode.INVALID_STATE, 'The delivery is being attempted right now; try again in a moment', { status: d.status });
    }
    await this.sender.enqueue(tenantId, [deliveryId]);
    return this.getDelivery(tenantId, endpointId, deliveryId);
  }

  /** Sends a webhook.test event right away (even to a disabled endpoint) and returns how it went; no retries. */
  async sendTest(tenantId: string, endpointId: string): Promise<WebhookDelivery> {
    const endpoint = await this.get(tenantId, endpointId);
    const id = randomUUID();
    const eventId = randomUUID();
    const body = JSON.stringify({ id: eventId, type: WEBHOOK_TEST_EVENT, createdAt: new Date().toISOString(), tenantId, data: { webhookId: endpoint.id, message: 'Test event from CustomerIQ' } });
    await this.deliveries.insertIgnoringDuplicates([
      { id, tenantId, endpointId, eventId, eventType: WEBHOOK_TEST_EVENT, body, status: 'pending', attempts: 0, maxAttempts: 1, nextAttemptAt: new Date() },
    ]);
    await this.sender.attempt([id], { force: true });
    return this.getDelivery(tenantId, endpointId, id);
  }

  private async assertUrl(url: string): Promise<void> {
    const verdict = await this.guard.check(url);
    if (!verdict.ok) throw AppError.validation('url', verdict.reason);
  }

  /** A filter names a segment or tier that exists; without the module that knows them, it cannot be honoured. */
  private async checkFilter(tenantId: string, f: WebhookFilterDto | undefined): Promise<WebhookFilter | null> {
    if (!f || (!f.segmentId && !f.tier)) return null;
    if (f.segmentId) {
      const resolver = this.audiences.audienceResolver();
      if (!resolver) throw AppError.validation('filter.segmentId', 'segment filters need the segments module, which is not installed');
      if (!(await resolver.segmentExists(tenantId, f.segmentId))) throw AppError.validation('filter.segmentId', `segment ${f.segmentId} does not exist`);
    }
    if (f.tier) {
      const tiers = this.audiences.tierResolver();
      if (!tiers) throw AppError.validation('filter.tier', 'tier filters need the loyalty module, which is not installed');
      if (!(await tiers.tierExists(tenantId, f.tier))) throw AppError.validation('filter.tier', `tier ${f.tier} does not exist`);
    }
    return { ...(f.segmentId ? { segmentId: f.segmentId } : {}), ...(f.tier ? { tier: f.tier } : {}) };
  }
}

function normaliseEvents(events: string[]): string[] {
  return events.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(events)].sort();
}
