import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { PROCESSOR_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import { CronJob } from 'cron';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { runDetached } from '../database/sqlite-connection-lock';
import { TransactionRunner } from '../database/transaction-runner';
import { AddJobOptions, JobQueue, JobView, splitPublicId } from './job-queue';

interface LocalJob extends JobView {
  dedupeId?: string;
  opts: AddJobOptions;
}

type ProcessFn = (job: unknown) => Promise<unknown>;

const KEEP_FINISHED = 2000;

/** Embedded mode: runs jobs in this process through the same processor classes BullMQ would use. */
@Injectable()
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly log = new Logger('InProcessJobQueue');
  private readonly jobs = new Map<string, LocalJob>();
  private readonly pending = new Map<string, LocalJob[]>();
  private readonly running = new Set<string>();
  private readonly idleWaiters: Array<() => void> = [];
  private processors?: Map<string, ProcessFn>;
  private seq = 0;
  private stopped = false;

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

  async add(queue: string, name: string, data: Record<string, unknown>, opts: AddJobOptions = {}): Promise<JobView> {
    const waiting = this.pending.get(queue) ?? [];
    if (opts.dedupeId) {
      const same = waiting.find((j) => j.dedupeId === opts.dedupeId && j.state !== 'active');
      if (same) return view(same);
    }
    const id = `${queue}.${++this.seq}`;
    const job: LocalJob = {
      id, queue, name, data, opts, dedupeId: opts.dedupeId, state: opts.delayMs ? 'delayed' : 'waiting', progress: 0, result: null, error: null,
      attemptsMade: 0, createdAt: new Date().toISOString(), finishedAt: null,
    };
    this.jobs.set(id, job);
    waiting.push(job);
    this.pending.set(queue, waiting);
    if (opts.delayMs) setTimeout(() => ((job.state = 'waiting'), this.pump(queue)), opts.delayMs).unref();
    else setImmediate(() => this.pump(queue));
    return view(job);
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
    return this.running.size === 0 && [...this.pending.values()].every((q) => q.length === 0);
  }

  /** One job at a time per queue, in order of arrival. */
  private pump(queue: string): void {
    if (this.stopped || this.running.has(queue)) return;
    const q = this.pending.get(queue) ?? [];
    const next = q.find((j) => j.state === 'waiting');
    if (!next) return this.notifyIdle();
    const fn = this.processorFor(queue);
    if (!fn) {
      this.log.warn(`no processor for queue ${queue}; job ${next.id} stays waiting`);
      return;
    }
    this.running.add(queue);
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
    runDetached(() => TransactionRunner.detached(() => fn(jobApi)))
      .then((result) => {
        next.state = 'completed';
        next.result = result ?? null;
        next.finishedAt = new Date().toISOString();
        q.splice(q.indexOf(next), 1);
      })
      .catch((e: unknown) => {
        next.error = e instanceof Error ? e.message : String(e);
        if (next.attemptsMade < (next.opts.attempts ?? 1)) {
          next.state = 'delayed';
          setTimeout(() => ((next.state = 'waiting'), this.pump(queue)), (next.opts.backoffMs ?? 1000) * 2 ** (next.attemptsMade - 1)).unref();
        } else {
          next.state = 'failed';
          next.finishedAt = new Date().toISOString();
          q.splice(q.indexOf(next), 1);
          this.log.error(`job ${next.id} failed: ${next.error}`);
        }
      })
      .finally(() => {
        this.running.delete(queue);
        this.trim();
        this.pump(queue);
      });
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private trim(): void {
    if (this.jobs.size <= KEEP_FINISHED) return;
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= KEEP_FINISHED) break;
      if (j.state === 'completed' || j.state === 'failed') this.jobs.delete(id);
    }
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }
}

function view(j: LocalJob): JobView {
  const { opts: _o, dedupeId: _d, ...rest } = j;
  return { ...rest };
}
