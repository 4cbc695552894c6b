import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AddJobOptions, JobQueue, JobState, JobView, splitPublicId } from './job-queue';

/** Production mode: BullMQ on Redis; workers are the @Processor classes registered through QueueModule. */
@Injectable()
export class BullMqJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();
  private readonly redis: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    this.redis = new Redis(config.redisUrl!, { maxRetriesPerRequest: null });
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis, prefix: this.config.queuePrefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async add(queue: string, name: string, data: Record<string, unknown>, opts: AddJobOptions = {}): Promise<JobView> {
    const q = this.queue(queue);
    // Merge into a job with the same dedupe id only while it is still waiting: once it runs it may have read
    // the data already, so a new change needs a new job (an add never gets lost to an active job).
    // A job whose list would grow by merging is never merged here (see AddJobOptions.mergeList).
    const dedupeKey = opts.dedupeId && !opts.mergeList ? `${this.config.queuePrefix}:${queue}:dedupe:${opts.dedupeId}` : null;
    if (dedupeKey) {
      const existingId = await this.redis.get(dedupeKey);
      const existing = existingId ? await q.getJob(existingId) : undefined;
      if (existing) {
        const state = await existing.getState();
        if (state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') return toView(queue, existing, state);
      }
    }
    const job = await q.add(name, data, {
      attempts: opts.attempts ?? 1,
      backoff: opts.backoffMs ? { type: 'exponential', delay: opts.backoffMs } : undefined,
      delay: opts.delayMs,
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
    if (dedupeKey) await this.redis.set(dedupeKey, job.id!, 'EX', 24 * 3600);
    return toView(queue, job, 'waiting');
  }

  async get(publicId: string): Promise<JobView | null> {
    const parts = splitPublicId(publicId);
    if (!parts) return null;
    // State first: read after the job hash, a job finishing in between would show completed without its result.
    const q = this.queue(parts.queue);
    const state = await q.getJobState(parts.jobId);
    const job = await q.getJob(parts.jobId);
    return job ? toView(parts.queue, job, state) : null;
  }

  async schedule(queue: string, schedulerId: string, cron: string, name: string, data: Record<string, unknown>): Promise<void> {
    // Job schedulers are stored in Redis under one id, so N instances upserting it still produce one job per tick.
    await this.queue(queue).upsertJobScheduler(schedulerId, { pattern: cron, tz: 'UTC' }, { name, data, opts: { removeOnComplete: { count: 100 } } });
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let busy = 0;
      for (const q of this.queues.values()) {
        const c = await q.getJobCounts('waiting', 'active', 'prioritized', 'delayed');
        busy += c.waiting + c.active + c.prioritized;
        // A job scheduler always keeps its next run delayed: that one is not pending work.
        if (c.delayed) busy += (await q.getDelayed()).filter((j) => !j.repeatJobKey).length;
      }
      if (busy === 0) return;
      if (Date.now() > deadline) throw new Error('BullMQ queues did not drain in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.redis.disconnect();
  }
}

function toView(queue: string, job: Job, state: string): JobView {
  const known: JobState[] = ['waiting', 'delayed', 'active', 'completed', 'failed'];
  return {
    id: `${queue}.${job.id}`,
    queue,
    name: job.name,
    state: known.includes(state as JobState) ? (state as JobState) : state === 'prioritized' ? 'waiting' : 'unknown',
    progress: job.progress as number | object,
    result: job.returnvalue ?? null,
    error: job.failedReason ?? null,
    attemptsMade: job.attemptsMade,
    data: job.data as Record<string, unknown>,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}
