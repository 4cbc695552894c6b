/** BullMQ queue that carries webhook attempts; job data { tenantId, deliveryIds }. */
export const WEBHOOKS_QUEUE = 'webhooks';

export const WEBHOOK_JOBS = { deliver: 'deliver', sweep: 'sweep' } as const;

export interface DeliverJobData {
  tenantId: string;
  deliveryIds: string[];
  /** Set when the deliveries were stored already claimed for this job. */
  claimToken?: string;
  [key: string]: unknown;
}
