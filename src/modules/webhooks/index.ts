export { WebhooksModule } from './webhooks.module';
export { WebhooksService } from './webhooks.service';
export { WebhookPublisher } from './webhook-publisher.service';
export type { OutboundEvent } from './webhook-publisher.service';
export { WebhookDeliveryService } from './webhook-delivery.service';
export { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT } from './webhook-event-types';
export type { WebhookEventType } from './webhook-event-types';
export { SIGNATURE_HEADER, EVENT_ID_HEADER, verifySignature, signatureHeader, deterministicEventId } from './webhook-signature';
export { WEBHOOKS_QUEUE } from './webhook-queue';
