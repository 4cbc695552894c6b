/**
 * Domain events a webhook endpoint can subscribe to. Each is emitted in-process (@nestjs/event-emitter) by the
 * module that owns it; WebhookEventsListener turns every one of them into deliveries. Adding a type here is all
 * it takes to make it deliverable.
 */
export const WEBHOOK_EVENT_TYPES = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'note.created',
  'event.ingested',
  'purchase.recorded',
  'purchase.refunded',
  'loyalty.points_earned',
  'loyalty.points_redeemed',
  'loyalty.points_expired',
  'loyalty.tier_changed',
  'health.band_changed',
  'segment.entered',
  'segment.exited',
  'campaign.send',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by POST /webhooks/:id/test; not subscribable. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

export const ALL_EVENTS = '*';
