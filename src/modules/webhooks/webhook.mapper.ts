import { DeliveryDetailDto, DeliveryDto } from './dto/delivery.dto';
import { WebhookDto } from './dto/webhook.dto';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';

/** The API view of an endpoint: never the secret. */
export function toWebhookDto(w: WebhookEndpoint): WebhookDto {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    events: w.events,
    filter: w.filter,
    active: w.active,
    disabledReason: w.disabledReason,
    disabledAt: w.disabledAt,
    consecutiveFailures: w.consecutiveFailures,
    failingSince: w.failingSince,
    previousSecretExpiresAt: w.previousSecretExpiresAt,
    createdAt: w.createdAt,
    updatedAt: w.updatedAt,
  };
}

export function toDeliveryDto(d: WebhookDelivery): DeliveryDto {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    maxAttempts: d.maxAttempts,
    responseStatus: d.responseStatus,
    responseTimeMs: d.responseTimeMs,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt,
    lastAttemptAt: d.lastAttemptAt,
    deliveredAt: d.deliveredAt,
    createdAt: d.createdAt,
  };
}

export function toDeliveryDetailDto(d: WebhookDelivery): DeliveryDetailDto {
  return { ...toDeliveryDto(d), body: JSON.parse(d.body) as Record<string, unknown> };
}
