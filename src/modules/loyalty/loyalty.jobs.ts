/** BullMQ queue of the loyalty module and its job names. */
export const LOYALTY_QUEUE = 'loyalty';

export const LOYALTY_JOBS = {
  /** { tenantId, customerId, orderId, award }: earn for an order (award) and/or reverse its refunds; idempotent. */
  syncOrder: 'sync-order',
  /**
   * { tenantId, orderIds, award }: syncOrder for the orders of a batch of events, one account transaction per
   * customer; one job per tenant (and award), merged while it waits.
   */
  syncOrders: 'sync-orders',
  /** {}: earns for recent purchases that have none (their sync job was lost); see LoyaltyCatchUpService. */
  catchUp: 'catch-up',
  /** {}: expires due lots, applies due tier changes, drops old idempotency keys. */
  sweep: 'sweep',
  /** { tenantId }: re-evaluates every account of a tenant after a program change. */
  reevaluateTenant: 'reevaluate-tenant',
} as const;

/** Every 10 minutes; reads are exact in between (they account for due expiries and tier changes themselves). */
export const SWEEP_CRON = '*/10 * * * *';

/** Hourly, at a minute of its own. */
export const CATCH_UP_CRON = '23 * * * *';
