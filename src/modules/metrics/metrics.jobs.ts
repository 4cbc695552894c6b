/** BullMQ queue of the metrics module and its job names. */
export const METRICS_QUEUE = 'purchase-metrics';

export const METRICS_JOBS = {
  /** { tenantId, customerId }: one changed customer; de-duplicated by customer id while waiting. */
  customer: 'recompute-customer',
  /**
   * { tenantId, customerIds }: the customers whose purchases a batch of events changed, set-based; while it waits,
   * later batches' customers merge into it.
   */
  customers: 'recompute-customers',
  /** { tenantId, requestedBy }: every customer of a tenant, in chunks, with progress. */
  tenant: 'recompute-tenant',
  /** {}: nightly; refreshes the time-window fields of every tenant. */
  nightly: 'refresh-windows',
} as const;

/** 02:30 UTC every day. */
export const NIGHTLY_CRON = '30 2 * * *';
