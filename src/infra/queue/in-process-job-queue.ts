import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PROCESSOR_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import { CronJob } from 'cron';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { runDetached } from '../database/sqlite-connection-lock';
import { TransactionRunner } from '../database/transaction-runner';
import { Fifo } from './fifo';
import { AddJobOptions, JobQueue, JobView, NewJob, splitPublicId } from './job-queue';

interface LocalJob extends JobView {
  dedupeId?: string;
  opts: AddJobOptions;
  /** The ids already in data[opts.mergeList] (a merging add appends only new ones). */
  merged?: Set<string>;
}

type ProcessFn = (job: unknown) => Promise<unknown>;

const KEEP_FINISHED = 2000;
const SHUTDOWN_GRACE_MS = 10_000;

/** Per queue: jobs ready to run in arrival order, and the jobs an add with the same dedupe id merges into. */
interface LocalQueue {
  ready: Fifo<LocalJob>;
  /** Waiting or delayed jobs by dedupe id; a job leaves when it starts (a later add then makes a new job). */
  mergeable: Map<string, LocalJob>;
  /** Jobs added and not finished yet (waiting, delayed or active). */
  outstanding: number;
  running: boolean;
  /** Settles when the job now running has finished (shutdown waits for it). */
  current: Promise<void> | null;
  /** A pump is scheduled for the next turn of the event loop (one for any number of adds). */
  pumpScheduled: boolean;
}

/**
 * Embedded mode: runs jobs in this process through the same processor classes BullMQ would use. Every operation
 * is O(1): at ingest load a queue holds tens of thousands of waiting jobs.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements BeforeApplicationShutdown {
  private readonly log = new Logger('InProcessJobQueue');
  /** Every job still known by id: unfinished ones and the last KEEP_FINISHED finished ones. */
  private readonly jobs = new Map<string, LocalJob>();
  private readonly finished = new Fifo<string>();
  private readonly queues = new Map<string, LocalQueue>();
  private readonly idleWaiters: Array<() => void> = [];
  private processors?: Map<string, ProcessFn>;
  private seq = 0;
  private stopped = false;
  /** Shutting down: merge windows no longer delay jobs (beforeApplicationShutdown runs what is queued). */
  private closing = false;
  /** Jobs waiting out a merge window, with their timers (shutdown makes them ready at once). */
  private readonly windowed = new Map<LocalJob, NodeJS.Timeout>();
  /** When the last job with a merge list started, per queue and dedupe id (the merge window counts from it). */
  private readonly mergedStarts = new Map<string, number>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  private processorFor(queue: string): ProcessFn | undefined {
    if (!this.processors) {
      this.processors = new Map();
      for (const wrapper of this.discovery.getProviders()) {
        const meta = wrapper.metatype && (Reflect.getMetadata(PROCESSOR_METADATA, wrapper.metatype) as { name?: string } | undefined);
        const instance = wrapper.instance as { process?: ProcessFn } | undefined;
        if (meta?.name && instance?.process) this.processors.set(meta.name, instance.process.bind(instance));
      }
    }
    return this.processors.get(queue);
  }

  private queue(name: string): LocalQueue {
    let q = this.queues.get(name);
    if (!q) {
      q = { ready: new Fifo(), mergeable: new Map(), outstanding: 0, running: false, current: null, pumpScheduled: false };
      this.queues.set(name, q);
    }
    return q;
  }

  async add(queue: string, name: string, data: Record<string, unknown>, opts: AddJobOptions = {}): Promise<JobView> {
    return view(this.enqueue(queue, name, data, opts));
  }

  override async addMany(queue: string, jobs: NewJob[]): Promise<void> {
    for (const j of jobs) this.enqueue(queue, j.name, j.data, j.opts ?? {});
  }

  /** The job this add made, or the waiting one with the same dedupe id it merged into. */
  private enqueue(queue: string, name: string, data: Record<string, unknown>, opts: AddJobOptions): LocalJob {
    const q = this.queue(queue);
    const list = opts.dedupeId ? opts.mergeList : undefined;
    if (opts.dedupeId) {
      const same = q.mergeable.get(opts.dedupeId);
      if (same) {
        if (list) mergeInto(same, list, data[list]);
        return same;
      }
    }
    if (list) {
      // The first request after a quiet spell runs at once; under load the tenant's job starts once per window.
      const last = this.mergedStarts.get(`${queue}:${opts.dedupeId}`);
      const wait = last === undefined || this.closing ? 0 : last + (this.config.jobs?.mergeWindowMs ?? 0) - Date.now();
      if (wait > 0) opts = { ...opts, delayMs: wait };
    }
    const id = `${queue}.${++this.seq}`;
    const job: LocalJob = {
      id, queue, name, data, opts, dedupeId: opts.dedupeId, state: opts.delayMs ? 'delayed' : 'waiting', progress: 0, result: null, error: null,
      attemptsMade: 0, createdAt: new Date().toISOString(), finishedAt: null,
    };
    if (list) {
      // The job owns its list: merges append to it, not to the caller's array.
      job.data = { ...data, [list]: [] };
      mergeInto(job, list, data[list]);
    }
    this.jobs.set(id, job);
    if (opts.dedupeId) q.mergeable.set(opts.dedupeId, job);
    q.outstanding++;
    if (opts.delayMs) {
      const timer = setTimeout(() => (this.windowed.delete(job), this.makeReady(q, job)), opts.delayMs).unref();
      if (list) this.windowed.set(job, timer);
    } else {
      q.ready.push(job);
      if (!q.pumpScheduled) {
        q.pumpScheduled = true;
        setImmediate(() => ((q.pumpScheduled = false), this.pump(queue)));
      }
    }
    return job;
  }

  async get(publicId: string): Promise<JobView | null> {
    if (!splitPublicId(publicId)) return null;
    const j = this.jobs.get(publicId);
    return j ? view(j) : null;
  }

  async schedule(queue: string, schedulerId: string, cron: string, name: string, data: Record<string, unknown>): Promise<void> {
    // A helper process (stdio MCP server) beside the server would fire every cron a second time.
    if (!this.config.scheduleJobs) return;
    const key = `${queue}:${schedulerId}`;
    if (this.scheduler.doesExist('cron', key)) this.scheduler.deleteCronJob(key);
    const job = CronJob.from({ cronTime: cron, onTick: () => void this.add(queue, name, data, { dedupeId: `scheduled:${schedulerId}` }), start: true, timeZone: 'UTC' });
    this.scheduler.addCronJob(key, job as never);
  }

  drain(timeoutMs = 30_000): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('in-process queue did not drain in time')), timeoutMs);
      this.idleWaiters.push(() => (clearTimeout(t), resolve()));
    });
  }

  private isIdle(): boolean {
    for (const q of this.queues.values()) if (q.outstanding > 0) return false;
    return true;
  }

  private makeReady(q: LocalQueue, job: LocalJob): void {
    job.state = 'waiting';
    q.ready.push(job);
    this.pump(job.queue);
  }

  /** One job at a time per queue, in order of readiness. */
  private pump(queue: string): void {
    const q = this.queue(queue);
    if (this.stopped || q.running) return;
    if (!q.ready.length) return this.notifyIdle();
    const fn = this.processorFor(queue);
    if (!fn) {
      this.log.warn(`no processor for queue ${queue}; ${q.ready.length} job(s) stay waiting`);
      return;
    }
    const next = q.ready.shift()!;
    if (next.dedupeId && q.mergeable.get(next.dedupeId) === next) q.mergeable.delete(next.dedupeId);
    if (next.dedupeId && next.opts.mergeList) this.mergedStarts.set(`${queue}:${next.dedupeId}`, Date.now());
    q.running = true;
    next.state = 'active';
    next.attemptsMade += 1;
    const jobApi = {
      id: next.id.slice(queue.length + 1),
      name: next.name,
      data: next.data,
      attemptsMade: next.attemptsMade - 1,
      opts: { attempts: next.opts.attempts ?? 1 },
      timestamp: Date.parse(next.createdAt),
      updateProgress: async (p: number | object) => void (next.progress = p),
      log: async () => 0,
    };
    q.current = runDetached(() => TransactionRunner.detached(() => fn(jobApi)))
      .then((result) => {
        next.state = 'completed';
        next.result = result ?? null;
        this.finish(q, next);
      })
      .catch((e: unknown) => {
        next.error = e instanceof Error ? e.message : String(e);
        if (next.attemptsMade < (next.opts.attempts ?? 1)) {
          next.state = 'delayed';
          setTimeout(() => this.makeReady(q, next), (next.opts.backoffMs ?? 1000) * 2 ** (next.attemptsMade - 1)).unref();
        } else {
          next.state = 'failed';
          this.finish(q, next);
          this.log.error(`job ${next.id} failed: ${next.error}`);
        }
      })
      .finally(() => {
        q.running = false;
        q.current = null;
        this.pump(queue);
      });
  }

  private finish(q: LocalQueue, job: LocalJob): void {
    job.finishedAt = new Date().toISOString();
    q.outstanding--;
    this.finished.push(job.id);
    while (this.finished.length > KEEP_FINISHED) this.jobs.delete(this.finished.shift()!);
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /**
   * Before the database connections close (onApplicationShutdown) and after the event transports stopped
   * (EventTransportsShutdown): the follow-up jobs of what was committed still run, merge windows skipped, within
   * SHUTDOWN_GRACE_MS; then no job starts any more and the running ones get what is left of it. Jobs waiting on a
   * retry back-off, and whatever the grace does not cover, are not kept (the in-process queue lives in memory only;
   * the nightly metrics and health recomputes catch up on theirs).
   */
  async beforeApplicationShutdown(): Promise<void> {
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    this.closing = true;
    for (const [job, timer] of this.windowed) {
      clearTimeout(timer);
      this.makeReady(this.queue(job.queue), job);
    }
    this.windowed.clear();
    while (this.hasWork() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.stopped = true;
    const left = [...this.queues.values()].reduce((n, q) => n + q.ready.length, 0);
    if (left) this.log.warn(`shutting down with ${left} job(s) not run`);
    const running = [...this.queues.values()].flatMap((q) => (q.current ? [q.current] : []));
    if (!running.length) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, deadline - Date.now()))));
    await Promise.race([Promise.allSettled(running), grace]);
    clearTimeout(timer);
  }

  /** A job is running or ready to run (not counting retries waiting out their back-off). */
  private hasWork(): boolean {
    for (const q of this.queues.values()) if (q.running || q.ready.length) return true;
    return this.windowed.size > 0;
  }
}

/** Appends to job.data[field] the ids of `more` it does not hold yet. */
function mergeInto(job: LocalJob, field: string, more: unknown): void {
  const list = job.data[field] as string[];
  job.merged ??= new Set(list);
  for (const id of Array.isArray(more) ? (more as string[]) : []) {
    if (job.merged.has(id)) continue;
    job.merged.add(id);
    list.push(id);
  }
}

function view(j: LocalJob): JobView {
  return {
    id: j.id, queue: j.queue, name: j.name, state: j.state, progress: j.progress, result: j.result, error: j.error,
    attemptsMade: j.attemptsMade, data: j.data, createdAt: j.createdAt, finishedAt: j.finishedAt,
  };
}
