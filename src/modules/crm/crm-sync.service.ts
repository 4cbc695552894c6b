import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobQueue } from '../../infra/queue';
import { AppError, ErrorCode } from '../../shared/app-error';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { CustomersService } from '../customers';
import { CrmConnectionsService, nextRunOf } from './crm-connections.service';
import { CrmContactImporter, ImportOutcome } from './crm-contact-importer';
import { CrmProviderFactory } from './crm-provider.factory';
import { CrmRepository } from './crm.repository';
import { CrmConnection } from './entities/crm-connection.entity';
import { CrmSyncRun, MAX_RUN_ERRORS, RecordError } from './entities/crm-sync-run.entity';
import { toRemote } from './field-mapping';
import { CrmProvider, PushResult } from './providers/crm-provider';
import { ProviderCallError, ProviderUnavailableError } from './providers/provider-call';

export const CRM_SYNC_QUEUE = 'crm-sync';
export const CRM_JOBS = { sync: 'sync', dispatchDue: 'dispatch-due' } as const;

/**
 * Incremental pushes start this far before their cursor: updated_at ties (SQLite keeps seconds) and late commits
 * would otherwise slip past; customers already sent at their current version are skipped via the sync links.
 */
const PUSH_OVERLAP_MS = 60_000;
/** Sorts before every UUID: a keyset position that includes all rows of its timestamp. */
const LOWEST_ID = '00000000-0000-0000-0000-000000000000';
/** A queued or running run not heard from for this long is taken as dead (its worker crashed). */
const RUN_ALIVE_MS = 15 * 60_000;

type Progress = (p: object) => Promise<void> | void;
type ListQuery = Parameters<CustomersService['list']>[1];

interface Tally {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: RecordError[];
}

/**
 * Runs CRM syncs: push (customers changed since the push cursor, in provider-sized batches) and pull (contacts
 * changed since the pull cursor). Cursors move after each batch, so an interrupted run resumes where it stopped;
 * a record the provider refuses is counted and listed on the run, and the run goes on.
 */
@Injectable()
export class CrmSyncService {
  private readonly log = new Logger('CrmSync');

  constructor(
    private readonly repo: CrmRepository,
    private readonly connections: CrmConnectionsService,
    private readonly providers: CrmProviderFactory,
    private readonly importer: CrmContactImporter,
    private readonly customers: CustomersService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  /** Queues a sync; its progress is GET /api/v1/jobs/:jobId and its outcome the run. */
  async start(tenantId: string, connectionId: string, opts: { full?: boolean; triggeredBy?: 'manual' | 'schedule' } = {}): Promise<{ run: CrmSyncRun; jobId: string }> {
    const conn = await this.connections.get(tenantId, connectionId);
    if (!conn.active) throw new AppError(ErrorCode.INVALID_STATE, 'The connection is inactive: set active to true to sync');
    const busy = await this.repo.activeRun(conn.id, new Date(Date.now() - RUN_ALIVE_MS));
    if (busy) throw new AppError(ErrorCode.INVALID_STATE, 'A sync of this connection is already queued or running', { runId: busy.id, jobId: busy.jobId });
    const run = await this.repo.insertRun({
      tenantId, connectionId, jobId: null, mode: opts.full ? 'full' : 'incremental', triggeredBy: opts.triggeredBy ?? 'manual', status: 'queued',
      createdCount: 0, updatedCount: 0, skippedCount: 0, failedCount: 0, errors: [], message: null, startedAt: null, finishedAt: null,
    });
    const job = await this.jobs.add(CRM_SYNC_QUEUE, CRM_JOBS.sync, { tenantId, connectionId, runId: run.id, full: !!opts.full });
    await this.repo.updateRun(run.id, { jobId: job.id });
    run.jobId = job.id;
    return { run, jobId: job.id };
  }

  /** Starts the scheduled syncs that are due; each tick is claimed by one instance only. */
  async dispatchDue(now = new Date()): Promise<number> {
    let started = 0;
    for (const c of await this.repo.dueConnections(now, 100)) {
      if (!(await this.repo.claimScheduledRun(c.id, c.nextRunAt!, nextRunOf(c.schedule, now)))) continue;
      try {
        await this.start(c.tenantId, c.id, { triggeredBy: 'schedule' });
        started++;
      } catch (e) {
        if (!(e instanceof AppError && e.code === ErrorCode.INVALID_STATE)) this.log.error(`scheduled sync of ${c.id} not started: ${(e as Error).message}`);
      }
    }
    return started;
  }

  /** The job body: runs one queued sync to its end. */
  async run(runId: string, progress: Progress = () => undefined): Promise<Record<string, unknown>> {
    const run = await this.repo.findRunById(runId);
    if (!run || run.status !== 'queued') return { skipped: true };
    const conn = await this.repo.findConnection(run.tenantId, run.connectionId);
    if (!conn) return { skipped: true };
    const tally: Tally = { created: 0, updated: 0, skipped: 0, failed: 0, errors: [] };
    await this.repo.updateRun(run.id, { status: 'running', startedAt: new Date() });
    let message: string | null = null;
    let unexpected: unknown = null;
    try {
      const provider = await this.providers.create(conn);
      const full = run.mode === 'full';
      if (conn.direction !== 'pull') await this.push(conn, provider, full, run, tally, progress);
      if (conn.direction !== 'push') await this.pull(conn, provider, full, run, tally, progress);
    } catch (e) {
      if (!(e instanceof ProviderUnavailableError || e instanceof ProviderCallError)) unexpected = e;
      message = (e instanceof Error ? e.message : String(e)).slice(0, 1000);
    }
    const status = message ? 'failed' : tally.failed > 0 ? 'partial' : 'succeeded';
    await this.repo.updateRun(run.id, { ...this.counts(tally), status, message, finishedAt: new Date() });
    await this.repo.updateConnection(conn.id, { lastSyncAt: new Date(), lastRunStatus: status });
    const summary = { status, created: tally.created, updated: tally.updated, skipped: tally.skipped, failed: tally.failed, message };
    await progress({ phase: 'done', ...summary });
    // A bug, not the provider: the run says failed, and so does the job.
    if (unexpected) throw unexpected instanceof Error ? unexpected : new Error(String(unexpected));
    return summary;
  }

  private async push(conn: CrmConnection, provider: CrmProvider, full: boolean, run: CrmSyncRun, tally: Tally, progress: Progress): Promise<void> {
    let cursor = full ? undefined : rewind(conn.pushCursor);
    for (;;) {
      const query = { sortBy: 'updatedAt', sortOrder: 'asc', limit: provider.pushBatchSize, ...(cursor ? { cursor } : {}) } as unknown as ListQuery;
      const page = await this.customers.list(conn.tenantId, query);
      if (!page.data.length) break;
      const links = await this.repo.linksFor(conn.id, page.data.map((c) => c.id));
      const todo = full ? page.data : page.data.filter((c) => links.get(c.id)?.syncedVersion !== c.version);
      if (todo.length) {
        const byId = new Map(todo.map((c) => [c.id, c]));
        const results = await provider.push(todo.map((c) => ({ customerId: c.id, email: c.email, fields: toRemote(c as never, conn.fieldMapping) })));
        for (const r of results) this.count(tally, 'push', r, byId.get(r.customerId)?.email ?? null);
        const now = new Date();
        await this.repo.saveLinks(
          results
            .filter((r) => r.outcome === 'created' || r.outcome === 'updated')
            .map((r) => ({ connectionId: conn.id, customerId: r.customerId, tenantId: conn.tenantId, remoteId: r.remoteId ?? links.get(r.customerId)?.remoteId ?? null, syncedVersion: byId.get(r.customerId)!.version, syncedAt: now })),
        );
      }
      const last = page.data[page.data.length - 1];
      // The customers list's keyset position after `last` in (updatedAt, id) order.
      cursor = encodeCursor({ v: last.updatedAt.toISOString(), id: last.id });
      await this.repo.updateConnection(conn.id, { pushCursor: cursor });
      await this.checkpoint(run, tally, progress, 'push');
      if (!page.page.nextCursor) break;
    }
  }

  private async pull(conn: CrmConnection, provider: CrmProvider, full: boolean, run: CrmSyncRun, tally: Tally, progress: Progress): Promise<void> {
    const since = full ? null : conn.pullCursor;
    let latest = since;
    let page: string | null = null;
    do {
      const res = await provider.pull(since, page);
      for (const contact of res.contacts) {
        const linked = contact.remoteId ? await this.repo.customerIdByRemote(conn.id, contact.remoteId) : null;
        const outcome = await this.importer.apply(conn.tenantId, conn, contact, linked);
        this.countImport(tally, outcome, contact.remoteId);
        if (outcome.customer) {
          // Both sides now agree on this version: the next push need not send it back.
          await this.repo.saveLinks([{ connectionId: conn.id, customerId: outcome.customer.id, tenantId: conn.tenantId, remoteId: contact.remoteId || null, syncedVersion: outcome.customer.version, syncedAt: new Date() }]);
        }
        if (!latest || contact.modifiedAt > latest) latest = contact.modifiedAt;
      }
      // Contacts come oldest first, so everything before `latest` is done; equal times are read again next run.
      if (latest !== since) await this.repo.updateConnection(conn.id, { pullCursor: latest });
      await this.checkpoint(run, tally, progress, 'pull');
      page = res.nextPage;
    } while (page);
  }

  private count(t: Tally, direction: 'push', r: PushResult, email: string | null): void {
    t[r.outcome === 'created' ? 'created' : r.outcome === 'updated' ? 'updated' : r.outcome === 'skipped' ? 'skipped' : 'failed']++;
    if (r.outcome === 'failed') this.addError(t, { direction, customerId: r.customerId, email, message: r.error ?? 'failed' });
  }

  private countImport(t: Tally, o: ImportOutcome, remoteId: string): void {
    t[o.outcome === 'created' ? 'created' : o.outcome === 'updated' ? 'updated' : o.outcome === 'skipped' ? 'skipped' : 'failed']++;
    if (o.outcome === 'failed') this.addError(t, { direction: 'pull', remoteId, customerId: o.customerId, email: o.email, message: o.error ?? 'failed' });
  }

  private addError(t: Tally, e: RecordError): void {
    if (t.errors.length < MAX_RUN_ERRORS) t.errors.push({ ...e, message: e.message.slice(0, 500) });
  }

  private counts(t: Tally): Partial<CrmSyncRun> {
    return { createdCount: t.created, updatedCount: t.updated, skippedCount: t.skipped, failedCount: t.failed, errors: t.errors };
  }

  private async checkpoint(run: CrmSyncRun, t: Tally, progress: Progress, phase: 'push' | 'pull'): Promise<void> {
    await this.repo.updateRun(run.id, this.counts(t));
    await progress({ phase, processed: t.created + t.updated + t.skipped + t.failed, created: t.created, updated: t.updated, skipped: t.skipped, failed: t.failed });
  }
}

/** The push cursor moved back by PUSH_OVERLAP_MS (all customers updated from then on, whatever their id). */
function rewind(cursor: string | null): string | undefined {
  if (!cursor) return undefined;
  const at = Date.parse(String(decodeCursor(cursor).v));
  return Number.isNaN(at) ? undefined : encodeCursor({ v: new Date(at - PUSH_OVERLAP_MS).toISOString(), id: LOWEST_ID });
}
