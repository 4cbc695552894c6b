/** BullMQ queue that carries webhook attempts; job data { tenantId, deliveryId }. */
export const WEBHOOKS_QUEUE = 'webhooks';

export const WEBHOOK_JOBS = { deliver: 'deliver', sweep: 'sweep' } as const;

export interface DeliverJobData {
  tenantId: string;
  deliveryId: string;
  [key: string]: unknown;
}
