import { Inject, Injectable, Logger } from '@nestjs/common';
import { DomainEventBus } from '../../infra/domain-events';
import { AddJobOptions, customerBatchJobs, JobQueue, JobView } from '../../infra/queue';
import { CustomerScoped, DomainEvent } from '../../shared/domain-event';
import { CustomerHealth } from './entities/customer-health.entity';
import { HealthConfigService } from './health-config.service';
import { HEALTH_EVENTS, HealthBandChangedEvent, HealthRecomputedEvent, HealthScoreChangedEvent } from './health-score.events';
import { HealthBand } from './health-score.model';
import { HealthScoreRepository, ScoredRow, toDate } from './health-score.repository';
import { BandChange, HealthStageRepository } from './health-stage.repository';
import { HealthSummaryRepository, SummaryDelta } from './health-summary.repository';
import { DAY_MS, dayOf, HEALTH_JOBS, HEALTH_QUEUE, HISTORY_KEEP_DAYS, RECOMPUTE_CHUNK, RecomputeProgress, TenantRecomputeResult, windowOf } from './health-score.constants';

const ACTIVE_DAYS = 30;
/** Customers per scoring statement of a batch job (their ids are bound parameters). */
const CUSTOMER_CHUNK = 500;

/** Computing scores: one customer, a whole tenant (set-based, chunked), every tenant; with totals and band events. */
@Injectable()
export class HealthRecomputeService {
  private readonly log = new Logger(HealthRecomputeService.name);

  constructor(
    private readonly repo: HealthScoreRepository,
    private readonly stages: HealthStageRepository,
    private readonly summaries: HealthSummaryRepository,
    private readonly configs: HealthConfigService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    private readonly events: DomainEventBus,
  ) {}

  /** Enqueues a recompute of one customer; while one is still waiting, further requests merge into it. */
  requestRecompute(tenantId: string, customerId: string): Promise<JobView> {
    return this.jobs.add(HEALTH_QUEUE, HEALTH_JOBS.customer, { tenantId, customerId }, customerJobOptions(tenantId, customerId));
  }

  /** The customers a batch of events touched: one set-based job per tenant, merged with the tenant's waiting one. */
  requestRecomputes(customers: CustomerScoped[]): Promise<void> {
    return this.jobs.addMany(HEALTH_QUEUE, customerBatchJobs(HEALTH_JOBS.customers, customers, { attempts: 3, backoffMs: 1000 }));
  }

  /** A hard-deleted customer: its score rows go (no foreign key cascades them) and today's totals are recounted. */
  async forgetHardDeleted(tenantId: string, customerId: string): Promise<void> {
    await this.repo.deleteCustomerRows(tenantId, [customerId]);
    await this.requestSummaryRefresh(tenantId);
  }

  /** Enqueues a recount of the tenant's totals for today (after changes the deltas cannot follow, e.g. hard deletes). */
  requestSummaryRefresh(tenantId: string): Promise<JobView> {
    return this.jobs.add(HEALTH_QUEUE, HEALTH_JOBS.summary, { tenantId }, { dedupeId: `summary:${tenantId}` });
  }

  startTenantRecompute(tenantId: string, requestedBy: string | null): Promise<JobView> {
    return this.jobs.add(HEALTH_QUEUE, HEALTH_JOBS.tenant, { tenantId, requestedBy }, { dedupeId: `tenant:${tenantId}` });
  }

  /** Recomputes one customer now; a deleted or unknown customer loses its current score. */
  async recomputeCustomer(tenantId: string, customerId: string, asOf = new Date()): Promise<{ score: number; band: HealthBand } | null> {
    return (await this.recomputeCustomers(tenantId, [customerId], asOf)).scores.get(customerId) ?? null;
  }

  /**
   * Recomputes these customers now, CUSTOMER_CHUNK at a time: one scoring statement, then under the tenant's write
   * lock the previous rows, the new ones and the day's totals in a few statements. Deleted or unknown customers lose
   * their current score.
   */
  async recomputeCustomers(tenantId: string, customerIds: string[], asOf = new Date()): Promise<{ customers: number; scores: Map<string, { score: number; band: HealthBand }> }> {
    const scores = new Map<string, { score: number; band: HealthBand }>();
    const model = await this.configs.current(tenantId);
    for (let i = 0; i < customerIds.length; i += CUSTOMER_CHUNK) {
      const chunk = customerIds.slice(i, i + CUSTOMER_CHUNK);
      const next = (await this.repo.scoreCustomers(tenantId, chunk, model, windowOf(model, asOf))).map((r) => toCurrent(r, tenantId, model.version, asOf));
      for (const n of next) scores.set(n.customerId, { score: n.score, band: n.band });
      for (const gone of chunk.filter((id) => !scores.has(id))) await this.forget(tenantId, gone, asOf);
      if (!next.length) continue;
      const { prev, counted } = await this.repo.withTenantWriteLock(tenantId, async (m) => {
        const before = new Map((await this.repo.findCurrentMany(tenantId, next.map((n) => n.customerId), m)).map((h) => [h.customerId, h]));
        await this.repo.saveCurrent(next, dayOf(asOf), m);
        const total = sumDeltas(next.map((n) => delta(before.get(n.customerId) ?? null, n, asOf)));
        return { prev: before, counted: await this.summaries.applyDelta(m, tenantId, dayOf(asOf), total) };
      });
      if (!counted) await this.requestSummaryRefresh(tenantId);
      const changed: DomainEvent[] = [];
      const bandChanges: BandChange[] = [];
      for (const n of next) {
        const p = prev.get(n.customerId);
        if (!p || p.score !== n.score) {
          const e: HealthScoreChangedEvent = { tenantId, customerId: n.customerId, previousScore: p?.score ?? null, score: n.score, band: n.band };
          changed.push({ name: HEALTH_EVENTS.scoreChanged, payload: e });
        }
        if (p && p.band !== n.band) bandChanges.push({ customerId: n.customerId, fromBand: p.band, toBand: n.band, fromScore: p.score, toScore: n.score });
      }
      this.events.publish(changed);
      if (bandChanges.length) this.emitBandChanges(tenantId, model.version, asOf, bandChanges);
    }
    return { customers: customerIds.length, scores };
  }

  /** Drops the current score of a customer that was soft-deleted (history stays) and takes it out of today's totals. */
  async forget(tenantId: string, customerId: string, now = new Date()): Promise<void> {
    const counted = await this.repo.withTenantWriteLock(tenantId, async (m) => {
      const before = await this.repo.findCurrent(tenantId, customerId, m);
      if (!before) return true;
      await this.repo.deleteCurrent(tenantId, customerId, m);
      return this.summaries.applyDelta(m, tenantId, dayOf(now), delta(before, null, now));
    });
    if (!counted) await this.requestSummaryRefresh(tenantId);
  }

  /** Recounts today's totals from the current scores. */
  async refreshSummary(tenantId: string, now = new Date()): Promise<void> {
    await this.repo.withTenantWriteLock(tenantId, (m) => this.summaries.refreshFromCurrent(m, tenantId, dayOf(now), now, new Date(now.getTime() - ACTIVE_DAYS * DAY_MS)));
  }

  /**
   * Recomputes every live customer of a tenant: one set-based aggregate into a staging table, then chunked writes
   * with progress. `historyOnly` (backfill as of a past day) writes only that day's history rows and totals.
   */
  async recomputeTenant(
    tenantId: string,
    opts: { asOf?: Date; historyOnly?: boolean; chunkSize?: number; onProgress?: (done: number, total: number) => unknown } = {},
  ): Promise<TenantRecomputeResult> {
    const started = Date.now();
    const asOf = opts.asOf ?? new Date();
    const day = dayOf(asOf);
    const activeSince = new Date(asOf.getTime() - ACTIVE_DAYS * DAY_MS);
    const model = await this.configs.current(tenantId);
    const qr = await this.stages.openSession();
    let table: string | null = null;
    let processed = 0;
    let bandChanges = 0;
    try {
      const staged = await this.stages.stage(qr, tenantId, model, windowOf(model, asOf));
      table = staged.table;
      const t = table;
      await opts.onProgress?.(0, staged.rows);
      let after: string | null = null;
      for (const chunk of await this.stages.chunkEnds(qr, t, staged.rows, opts.chunkSize ?? RECOMPUTE_CHUNK)) {
        const from = after;
        if (opts.historyOnly) {
          await this.stages.writeHistoryChunk(qr.manager, t, from, chunk.end, tenantId, model.version, day);
        } else {
          // Under the tenant's write lock: a band change is reported by exactly one writer (this or a per-customer recompute).
          const changes = await this.repo.withTenantWriteLock(tenantId, async (m) => {
            const found = await this.stages.chunkBandChanges(m, t, from, chunk.end);
            await this.stages.writeCurrentChunk(m, t, from, chunk.end, tenantId, model.version, asOf);
            await this.stages.writeHistoryChunk(m, t, from, chunk.end, tenantId, model.version, day);
            return found;
          }, qr);
          this.emitBandChanges(tenantId, model.version, asOf, changes);
          bandChanges += changes.length;
        }
        processed += chunk.rows;
        after = chunk.end;
        await opts.onProgress?.(processed, staged.rows);
      }
      if (opts.historyOnly) await this.summaries.writeFromStage(qr, t, tenantId, day, asOf, activeSince);
      else await this.repo.withTenantWriteLock(tenantId, (m) => this.summaries.refreshFromCurrent(m, tenantId, day, asOf, activeSince), qr);
    } finally {
      if (table) await this.stages.dropStage(qr, table).catch((e: unknown) => this.log.warn(`could not drop ${table}: ${String(e)}`));
      await qr.release();
    }
    if (!opts.historyOnly) {
      const e: HealthRecomputedEvent = { tenantId, customers: processed, at: asOf.toISOString() };
      this.events.emit(HEALTH_EVENTS.recomputed, e);
    }
    return { tenantId, customers: processed, bandChanges, configVersion: model.version, day, durationMs: Date.now() - started };
  }

  /** The scheduled job: every tenant, then history older than 400 days is pruned. */
  async recomputeAll(onProgress?: (p: RecomputeProgress) => unknown): Promise<{ tenants: number; customers: number; bandChanges: number; durationMs: number }> {
    const started = Date.now();
    const tenants = await this.repo.tenantIds();
    const cutoff = dayOf(new Date(Date.now() - HISTORY_KEEP_DAYS * DAY_MS));
    let customers = 0;
    let bandChanges = 0;
    for (const [i, tenantId] of tenants.entries()) {
      const swept = await this.repo.deleteOrphans(tenantId);
      if (swept) this.log.warn(`tenant ${tenantId}: dropped the health rows of ${swept} customer(s) that no longer exist`);
      const r = await this.recomputeTenant(tenantId, {
        onProgress: (done, total) => onProgress?.({ processed: customers + done, total: customers + total, percent: Math.floor(((i + (total ? done / total : 1)) / tenants.length) * 100), tenants: tenants.length, tenantsDone: i }),
      });
      customers += r.customers;
      bandChanges += r.bandChanges;
      await this.repo.pruneHistory(tenantId, cutoff);
      await this.summaries.prune(tenantId, cutoff);
    }
    await onProgress?.({ processed: customers, total: customers, percent: 100, tenants: tenants.length, tenantsDone: tenants.length });
    return { tenants: tenants.length, customers, bandChanges, durationMs: Date.now() - started };
  }

  /** Writes history as of the end of each of the last `days` days (UTC) before today: a trend for simulated data. */
  async backfillHistory(tenantId: string, days: number, now = new Date()): Promise<number> {
    let written = 0;
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    for (let d = days; d >= 1; d--) {
      written += (await this.recomputeTenant(tenantId, { asOf: new Date(today - (d - 1) * DAY_MS - 1), historyOnly: true })).customers;
    }
    return written;
  }

  private emitBandChanges(tenantId: string, configVersion: number, at: Date, changes: BandChange[]): void {
    this.events.publish(
      changes.map((c) => {
        const e: HealthBandChangedEvent = { tenantId, customerId: c.customerId, from: c.fromBand, to: c.toBand, previousScore: c.fromScore, score: c.toScore, configVersion, at: at.toISOString() };
        return { name: HEALTH_EVENTS.bandChanged, payload: e };
      }),
    );
  }
}

function toCurrent(r: ScoredRow, tenantId: string, configVersion: number, computedAt: Date): CustomerHealth {
  return Object.assign(new CustomerHealth(), {
    customerId: r.customer_id, tenantId, score: r.score, band: r.band, usageScore: r.usage_score, engagementScore: r.engagement_score,
    incidentsScore: r.incidents_score, apiCalls: r.api_calls, logins: r.logins, tickets: r.tickets, ticketPenalty: r.ticket_penalty,
    configVersion, lastActivityAt: toDate(r.last_activity_at), computedAt,
  });
}

/** What replacing `before` with `after` (null: removed) changes in today's totals. */
function delta(before: CustomerHealth | null, after: CustomerHealth | null, now: Date): SummaryDelta {
  const activeSince = now.getTime() - ACTIVE_DAYS * DAY_MS;
  const active = (h: CustomerHealth | null) => (h?.lastActivityAt && toDate(h.lastActivityAt)!.getTime() >= activeSince ? 1 : 0);
  const bands: Record<HealthBand, number> = { healthy: 0, at_risk: 0, critical: 0 };
  if (before) bands[before.band] -= 1;
  if (after) bands[after.band] += 1;
  return { customers: (after ? 1 : 0) - (before ? 1 : 0), scoreSum: (after?.score ?? 0) - (before?.score ?? 0), bands, active: active(after) - active(before) };
}

function sumDeltas(ds: SummaryDelta[]): SummaryDelta {
  const total: SummaryDelta = { customers: 0, scoreSum: 0, bands: { healthy: 0, at_risk: 0, critical: 0 }, active: 0 };
  for (const d of ds) {
    total.customers += d.customers;
    total.scoreSum += d.scoreSum;
    total.active += d.active;
    for (const b of Object.keys(total.bands) as HealthBand[]) total.bands[b] += d.bands[b];
  }
  return total;
}

function customerJobOptions(tenantId: string, customerId: string): AddJobOptions {
  return { dedupeId: `customer:${tenantId}:${customerId}`, attempts: 3, backoffMs: 1000 };
}
