import { DiscoveryService } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../../config/app-config';
import { InProcessJobQueue } from './in-process-job-queue';
import { customerBatchJobs } from './job-queue';

interface SeenJob {
  id: string;
  name: string;
  data: Record<string, unknown>;
  attemptsMade: number;
}

@Processor('work')
class WorkProcessor {
  seen: SeenJob[] = [];
  failTimes = new Map<string, number>();
  gate?: Promise<void>;

  async process(job: SeenJob): Promise<unknown> {
    this.seen.push(job);
    if (this.gate) await this.gate;
    const left = this.failTimes.get(String(job.data.key)) ?? 0;
    if (left > 0) {
      this.failTimes.set(String(job.data.key), left - 1);
      throw new Error(`boom ${String(job.data.key)}`);
    }
    return { done: job.data.key };
  }
}

function makeQueue(processor: WorkProcessor): InProcessJobQueue {
  const discovery = { getProviders: () => [{ metatype: WorkProcessor, instance: processor }] } as unknown as DiscoveryService;
  return new InProcessJobQueue(discovery, new SchedulerRegistry(), { scheduleJobs: false } as AppConfig);
}

describe('InProcessJobQueue', () => {
  it('runs jobs one at a time in order of arrival and reports their results', async () => {
    const p = new WorkProcessor();
    const q = makeQueue(p);
    const views = [];
    for (let i = 0; i < 5; i++) views.push(await q.add('work', 'w', { key: i }));
    await q.drain(5000);
    expect(p.seen.map((j) => j.data.key)).toEqual([0, 1, 2, 3, 4]);
    const last = await q.get(views[4].id);
    expect(last).toMatchObject({ state: 'completed', result: { done: 4 }, attemptsMade: 1 });
    expect(last?.finishedAt).not.toBeNull();
  });

  it('adds many jobs in one call, merging dedupe ids like add() does', async () => {
    const p = new WorkProcessor();
    const q = makeQueue(p);
    await q.add('work', 'w', { key: 'first' }, { dedupeId: 'c1' });
    await q.addMany('work', [
      { name: 'w', data: { key: 'merged' }, opts: { dedupeId: 'c1' } },
      { name: 'w', data: { key: 'x' }, opts: { dedupeId: 'c2' } },
      { name: 'w', data: { key: 'y' } },
      { name: 'w', data: { key: 'merged too' }, opts: { dedupeId: 'c2' } },
    ]);
    await q.drain(5000);
    expect(p.seen.map((j) => j.data.key)).toEqual(['first', 'x', 'y']);
  });

  it('merges an add into a waiting job with the same dedupe id, but not into one that already started', async () => {
    const p = new WorkProcessor();
    let open!: () => void;
    p.gate = new Promise((r) => (open = r));
    const q = makeQueue(p);
    const a = await q.add('work', 'w', { key: 'a' }, { dedupeId: 'c1' });
    const b = await q.add('work', 'w', { key: 'b' }, { dedupeId: 'c1' });
    expect(b.id).toBe(a.id);
    await new Promise((r) => setImmediate(r));
    expect((await q.get(a.id))?.state).toBe('active');
    const c = await q.add('work', 'w', { key: 'c' }, { dedupeId: 'c1' });
    expect(c.id).not.toBe(a.id);
    const d = await q.add('work', 'w', { key: 'd' }, { dedupeId: 'c1' });
    expect(d.id).toBe(c.id);
    open();
    await q.drain(5000);
    expect(p.seen.map((j) => j.data.key)).toEqual(['a', 'c']);
  });

  it('merges customer batch jobs per tenant: a waiting job gains the new ids, a started one keeps its list', async () => {
    const p = new WorkProcessor();
    let open!: () => void;
    p.gate = new Promise((r) => (open = r));
    const q = makeQueue(p);
    const c = (tenantId: string, customerId: string) => ({ tenantId, customerId });
    await q.addMany('work', customerBatchJobs('batch', [c('t1', 'a'), c('t2', 'x'), c('t1', 'b'), c('t1', 'a')]));
    await new Promise((r) => setImmediate(r));
    // t1's job started with [a, b]; t2's waits and takes y; a new t1 job collects b (again) and c.
    const callerList = ['y'];
    await q.addMany('work', [{ name: 'batch', data: { tenantId: 't2', customerIds: callerList }, opts: { dedupeId: 'batch:t2', mergeList: 'customerIds' } }]);
    await q.addMany('work', customerBatchJobs('batch', [c('t1', 'b'), c('t1', 'c'), c('t1', 'b')]));
    expect(callerList).toEqual(['y']);
    open();
    await q.drain(5000);
    expect(p.seen.map((j) => j.data)).toEqual([
      { tenantId: 't1', customerIds: ['a', 'b'] },
      { tenantId: 't2', customerIds: ['x', 'y'] },
      { tenantId: 't1', customerIds: ['b', 'c'] },
    ]);
  });

  it('starts a tenant batch job at most once per merge window, collecting the requests made meanwhile', async () => {
    const p = new WorkProcessor();
    const discovery = { getProviders: () => [{ metatype: WorkProcessor, instance: p }] } as unknown as DiscoveryService;
    const q = new InProcessJobQueue(discovery, new SchedulerRegistry(), { scheduleJobs: false, jobs: { mergeWindowMs: 300 } } as AppConfig);
    const add = (...ids: string[]) => q.addMany('work', customerBatchJobs('batch', ids.map((customerId) => ({ tenantId: 't1', customerId }))));
    const started = Date.now();
    await add('a');
    await q.drain(5000);
    // Quiet until now: the first job ran at once. The next ones wait out the window from its start and merge.
    expect(Date.now() - started).toBeLessThan(250);
    await add('b');
    await add('c', 'b');
    const second = (await q.get('work.2'))!;
    expect(second.state).toBe('delayed');
    await q.drain(5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(p.seen.map((j) => j.data.customerIds)).toEqual([['a'], ['b', 'c']]);
  });

  it('retries a failing job with backoff up to its attempts, then marks it failed', async () => {
    const p = new WorkProcessor();
    p.failTimes.set('x', 1).set('y', 5);
    const q = makeQueue(p);
    const x = await q.add('work', 'w', { key: 'x' }, { attempts: 2, backoffMs: 5 });
    const y = await q.add('work', 'w', { key: 'y' }, { attempts: 2, backoffMs: 5 });
    await q.drain(5000);
    expect(await q.get(x.id)).toMatchObject({ state: 'completed', attemptsMade: 2, result: { done: 'x' } });
    expect(await q.get(y.id)).toMatchObject({ state: 'failed', attemptsMade: 2, error: 'boom y' });
  });

  it('holds delayed jobs until due and counts them as pending work for drain', async () => {
    const p = new WorkProcessor();
    const q = makeQueue(p);
    const started = Date.now();
    const j = await q.add('work', 'w', { key: 'later' }, { delayMs: 50 });
    expect(j.state).toBe('delayed');
    await q.drain(5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect((await q.get(j.id))?.state).toBe('completed');
  });

  it('keeps the last finished jobs by id and forgets older ones, however many are waiting', async () => {
    const p = new WorkProcessor();
    const q = makeQueue(p);
    const ids: string[] = [];
    for (let i = 0; i < 2600; i++) ids.push((await q.add('work', 'w', { key: i }, { dedupeId: `k${i}` })).id);
    await q.drain(10_000);
    expect(p.seen).toHaveLength(2600);
    expect(await q.get(ids[0])).toBeNull();
    expect(await q.get(ids[599])).toBeNull();
    expect((await q.get(ids[600]))?.state).toBe('completed');
    expect((await q.get(ids[2599]))?.state).toBe('completed');
  });

  it('answers null for ids that are malformed or unknown', async () => {
    const q = makeQueue(new WorkProcessor());
    expect(await q.get('nonsense')).toBeNull();
    expect(await q.get('work.999')).toBeNull();
  });
});
