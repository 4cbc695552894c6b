export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

export interface AddJobOptions {
  /** While a job with this id is still waiting, another add with it is merged into that one. */
  dedupeId?: string;
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

export function splitPublicId(publicId: string): { queue: string; jobId: string } | null {
  const i = publicId.indexOf('.');
  if (i <= 0 || i === publicId.length - 1) return null;
  return { queue: publicId.slice(0, i), jobId: publicId.slice(i + 1) };
}
