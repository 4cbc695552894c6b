export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

export interface AddJobOptions {
  /** While a job with this id is still waiting, another add with it is merged into that one. */
  dedupeId?: string;
  /**
   * With dedupeId: the data field holding a list of ids (customerIds). An add that merges into a waiting job appends
   * the ids that job does not have yet, so one run covers every request made while it waited. BullMQ cannot extend a
   * waiting job's data atomically (a worker may take it meanwhile), so there every such add is a job of its own.
   */
  mergeList?: string;
  attempts?: number;
  backoffMs?: number;
  delayMs?: number;
}

export interface JobView {
  /** Public id: `<queue>.<job id>`. */
  id: string;
  queue: string;
  name: string;
  state: JobState;
  progress: number | object;
  result: unknown;
  error: string | null;
  attemptsMade: number;
  data: Record<string, unknown>;
  createdAt: string;
  finishedAt: string | null;
}

export interface NewJob {
  name: string;
  data: Record<string, unknown>;
  opts?: AddJobOptions;
}

/**
 * The one way modules enqueue background work. BullMQ (Redis) in production; in embedded mode an in-process
 * runner that calls the same @Processor classes. Processors must be idempotent.
 */
export abstract class JobQueue {
  abstract add(queue: string, name: string, data: Record<string, unknown>, opts?: AddJobOptions): Promise<JobView>;
  /**
   * Several jobs of one queue, each as add() would (dedupe ids merge the same way), for the jobs a batch of events
   * causes: one call and no views instead of one awaited add per job.
   */
  async addMany(queue: string, jobs: NewJob[]): Promise<void> {
    await Promise.all(jobs.map((j) => this.add(queue, j.name, j.data, j.opts)));
  }

  abstract get(publicId: string): Promise<JobView | null>;
  /** A repeatable job on a cron pattern; with several instances it runs once per tick. */
  abstract schedule(queue: string, schedulerId: string, cron: string, name: string, data: Record<string, unknown>): Promise<void>;
  /** Resolves when every queue is idle (tests and CLI tools). */
  abstract drain(timeoutMs?: number): Promise<void>;
}

/** Customers of one tenant in one job ({tenantId, customerIds}): the batch jobs that follow event ingestion. */
export interface CustomerBatchJobData extends Record<string, unknown> {
  tenantId: string;
  customerIds: string[];
}

/**
 * One job per tenant for the customers a batch of events touched, instead of one per customer: the processor
 * recomputes them set-based, a handful of statements for a thousand customers. While such a job waits, later
 * requests for the tenant merge into it (dedupeId + mergeList).
 */
export function customerBatchJobs(name: string, customers: Iterable<{ tenantId: string; customerId: string }>, opts: AddJobOptions = {}): NewJob[] {
  return tenantBatchJobs(name, 'customerIds', [...customers].map((c) => [c.tenantId, c.customerId]), { opts });
}

/**
 * One job per tenant holding the distinct ids of `items` ([tenantId, id]) in data[field], plus `with.data`; a
 * waiting job of the same name, tenant and `with.variant` takes the ids of later adds.
 */
export function tenantBatchJobs(
  name: string, field: string, items: Iterable<[string, string]>, { opts = {}, data: extra = {}, variant = '' }: { opts?: AddJobOptions; data?: Record<string, unknown>; variant?: string } = {},
): NewJob[] {
  const byTenant = new Map<string, Set<string>>();
  for (const [tenantId, id] of items) {
    const ids = byTenant.get(tenantId);
    if (ids) ids.add(id);
    else byTenant.set(tenantId, new Set([id]));
  }
  return [...byTenant].map(([tenantId, ids]) => ({
    name, data: { ...extra, tenantId, [field]: [...ids] }, opts: { ...opts, dedupeId: `${name}${variant}:${tenantId}`, mergeList: field },
  }));
}

export function splitPublicId(publicId: string): { queue: string; jobId: string } | null {
  const i = publicId.indexOf('.');
  if (i <= 0 || i === publicId.length - 1) return null;
  return { queue: publicId.slice(0, i), jobId: publicId.slice(i + 1) };
}
