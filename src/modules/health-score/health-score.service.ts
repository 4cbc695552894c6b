import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { JobQueue, JobView } from '../../infra/queue';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CustomersService } from '../customers';
import { CustomerHealthDto, HealthHistoryDto } from './dto/customer-health.dto';
import { CustomerHealth } from './entities/customer-health.entity';
import { HealthConfigService, VersionedModel } from './health-config.service';
import { HEALTH_EVENTS, HealthBandChangedEvent, HealthRecomputedEvent, HealthScoreChangedEvent } from './health-score.events';
import { HealthBand, PenaltySeverity } from './health-score.model';
import { BandChange, HealthScoreRepository, ScoredRow, ScoreWindow, toDate } from './health-score.repository';

export const HEALTH_QUEUE = 'health-score';
export const HEALTH_JOBS = { customer: 'recompute-customer', tenant: 'recompute-tenant', all: 'recompute-all' } as const;
/** Customers written per statement in a bulk recompute (one progress report each). */
export const RECOMPUTE_CHUNK = 20_000;
export const HISTORY_KEEP_DAYS = 400;
const DAY_MS = 86_400_000;
const MAX_HISTORY_RANGE_DAYS = 400;

export interface RecomputeProgress {
  processed: number;
  total: number;
  percent: number;
  tenants?: number;
  tenantsDone?: number;
}

export interface TenantRecomputeResult {
  tenantId: string;
  customers: number;
  bandChanges: number;
  configVersion: number;
  day: string;
  durationMs: number;
}

export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);
export const windowOf = (model: { windowDays: number }, asOf: Date): ScoreWindow => ({ since: new Date(asOf.getTime() - model.windowDays * DAY_MS), until: asOf });

/** Health scores: recompute (one customer, a tenant, everyone), explain, history. */
@Injectable()
export class HealthScoreService {
  private readonly log = new Logger(HealthScoreService.name);

  constructor(
    private readonly repo: HealthScoreRepository,
    private readonly configs: HealthConfigService,
    private readonly customers: CustomersService,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    private readonly events: EventEmitter2,
  ) {}

  /** Enqueues a recompute of one customer; while one is still waiting, further requests merge into it. */
  requestRecompute(tenantId: string, customerId: string): Promise<JobView> {
    return this.jobs.add(HEALTH_QUEUE, HEALTH_JOBS.customer, { tenantId, customerId }, { dedupeId: `customer:${tenantId}:${customerId}`, attempts: 3, backoffMs: 1000 });
  }

  /** Enqueues a recompute of every customer of the tenant (POST /health-score/recompute). */
  startTenantRecompute(tenantId: string, requestedBy: string | null): Promise<JobView> {
    return this.jobs.add(HEALTH_QUEUE, HEALTH_JOBS.tenant, { tenantId, requestedBy }, { dedupeId: `tenant:${tenantId}` });
  }

  /** Recomputes one customer now; a deleted or unknown customer loses its current score. */
  async recomputeCustomer(tenantId: string, customerId: string, asOf = new Date()): Promise<{ score: number; band: HealthBand } | null> {
    const model = await this.configs.current(tenantId);
    const [row] = await this.repo.scoreCustomers(tenantId, [customerId], model, windowOf(model, asOf));
    if (!row) {
      await this.repo.deleteCurrent(tenantId, customerId);
      return null;
    }
    const next = toCurrent(row, tenantId, model.version, asOf);
    const prev = await this.repo.withTenantWriteLock(tenantId, async (m) => {
      const before = await this.repo.findCurrent(tenantId, customerId, m);
      await this.repo.saveCurrent(next, dayOf(asOf), m);
      return before;
    });
    if (!prev || prev.score !== next.score) {
      const e: HealthScoreChangedEvent = { tenantId, customerId, previousScore: prev?.score ?? null, score: next.score, band: next.band };
      this.events.emit(HEALTH_EVENTS.scoreChanged, e);
    }
    if (prev && prev.band !== next.band) {
      this.emitBandChanges(tenantId, model.version, asOf, [{ customerId, fromBand: prev.band, toBand: next.band, fromScore: prev.score, toScore: next.score }]);
    }
    return { score: next.score, band: next.band };
  }

  /** Drops the current score of a customer that was soft-deleted (history stays). */
  forget(tenantId: string, customerId: string): Promise<void> {
    return this.repo.deleteCurrent(tenantId, customerId);
  }

  /**
   * Recomputes every live customer of a tenant: one set-based aggregate into a staging table, then chunked writes
   * with progress. `historyOnly` (backfill as of a past day) writes only that day's history rows.
   */
  async recomputeTenant(
    tenantId: string,
    opts: { asOf?: Date; historyOnly?: boolean; onProgress?: (done: number, total: number) => Promise<unknown> | unknown } = {},
  ): Promise<TenantRecomputeResult> {
    const started = Date.now();
    const asOf = opts.asOf ?? new Date();
    const day = dayOf(asOf);
    const model = await this.configs.current(tenantId);
    const qr = await this.repo.openSession();
    let table: string | null = null;
    let processed = 0;
    let bandChanges = 0;
    try {
      const staged = await this.repo.stage(qr, tenantId, model, windowOf(model, asOf));
      table = staged.table;
      await opts.onProgress?.(0, staged.rows);
      for (let after: string | null = null; ; ) {
        const end = await this.repo.nextChunkEnd(qr, table, after, RECOMPUTE_CHUNK);
        if (end === null) break;
        const [from, to, t] = [after, end, table];
        if (opts.historyOnly) {
          processed += await this.repo.writeHistoryChunk(qr, t, from, to, tenantId, model.version, day);
        } else {
          const changes = await this.repo.withTenantWriteLock(tenantId, async (m) => {
            const found = await this.repo.chunkBandChanges(m, t, from, to);
            await this.repo.writeCurrentChunk(m, t, from, to, tenantId, model.version, asOf);
            processed += await this.repo.writeHistoryChunk(m, t, from, to, tenantId, model.version, day);
            return found;
          }, qr);
          this.emitBandChanges(tenantId, model.version, asOf, changes);
          bandChanges += changes.length;
        }
        after = end;
        await opts.onProgress?.(processed, staged.rows);
      }
    } finally {
      if (table) await this.repo.dropStage(qr, table).catch((e: unknown) => this.log.warn(`could not drop ${table}: ${String(e)}`));
      await qr.release();
    }
    if (!opts.historyOnly) {
      const e: HealthRecomputedEvent = { tenantId, customers: processed, at: asOf.toISOString() };
      this.events.emit(HEALTH_EVENTS.recomputed, e);
    }
    return { tenantId, customers: processed, bandChanges, configVersion: model.version, day, durationMs: Date.now() - started };
  }

  /** The scheduled job: every tenant, then history older than 400 days is pruned. */
  async recomputeAll(onProgress?: (p: RecomputeProgress) => Promise<unknown> | unknown): Promise<{ tenants: number; customers: number; bandChanges: number; prunedHistoryRows: number; durationMs: number }> {
    const started = Date.now();
    const tenants = await this.repo.tenantIds();
    const cutoff = dayOf(new Date(Date.now() - HISTORY_KEEP_DAYS * DAY_MS));
    let customers = 0;
    let bandChanges = 0;
    let pruned = 0;
    for (const [i, tenantId] of tenants.entries()) {
      const r = await this.recomputeTenant(tenantId, {
        onProgress: (done, total) => onProgress?.({ processed: customers + done, total: customers + total, percent: Math.floor(((i + (total ? done / total : 1)) / tenants.length) * 100), tenants: tenants.length, tenantsDone: i }),
      });
      customers += r.customers;
      bandChanges += r.bandChanges;
      pruned += await this.repo.pruneHistory(tenantId, cutoff);
    }
    await onProgress?.({ processed: customers, total: customers, percent: 100, tenants: tenants.length, tenantsDone: tenants.length });
    return { tenants: tenants.length, customers, bandChanges, prunedHistoryRows: pruned, durationMs: Date.now() - started };
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

  /** The current score of a customer with its components, the tickets behind the incidents part, and its change. */
  async getHealth(tenantId: string, customerId: string): Promise<CustomerHealthDto> {
    await this.customers.assertExists(tenantId, customerId);
    let cur = await this.repo.findCurrent(tenantId, customerId);
    if (!cur) {
      await this.recomputeCustomer(tenantId, customerId);
      cur = await this.repo.findCurrent(tenantId, customerId);
      if (!cur) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', customerId);
    }
    const model: VersionedModel = (await this.configs.version(tenantId, cur.configVersion)) ?? (await this.configs.current(tenantId));
    const computedAt = toDate(cur.computedAt)!;
    const tickets = await this.repo.windowTickets(tenantId, customerId, windowOf(model, computedAt));
    const before = (days: number) => this.repo.scoreOnOrBefore(tenantId, customerId, dayOf(new Date(computedAt.getTime() - days * DAY_MS)));
    const [s7, s30] = await Promise.all([before(7), before(30)]);
    return {
      customerId,
      score: cur.score,
      band: cur.band,
      components: {
        usage: { score: round2(cur.usageScore), weight: model.weights.usage, apiCalls: cur.apiCalls, target: model.targets.apiCalls },
        engagement: { score: round2(cur.engagementScore), weight: model.weights.engagement, logins: cur.logins, target: model.targets.logins },
        incidents: {
          score: round2(cur.incidentsScore),
          weight: model.weights.incidents,
          penalty: cur.ticketPenalty,
          ticketCount: cur.tickets,
          tickets: tickets.map((t) => ({ ...t, openedAt: t.openedAt.toISOString(), penalty: model.penalties[t.severity as PenaltySeverity] ?? 0 })),
        },
      },
      weights: model.weights,
      windowDays: model.windowDays,
      configVersion: cur.configVersion,
      computedAt: computedAt.toISOString(),
      change7d: s7 === null ? null : cur.score - s7,
      change30d: s30 === null ? null : cur.score - s30,
    };
  }

  /** Daily scores between two UTC days (default: the 30 days up to today). */
  async history(tenantId: string, customerId: string, from?: string, to?: string, now = new Date()): Promise<HealthHistoryDto> {
    await this.customers.assertExists(tenantId, customerId);
    const toDay = to ? dayOf(new Date(to)) : dayOf(now);
    const fromDay = from ? dayOf(new Date(from)) : dayOf(new Date(Date.parse(`${toDay}T00:00:00Z`) - 29 * DAY_MS));
    if (fromDay > toDay) throw AppError.validation('from', 'must not be after to');
    if ((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / DAY_MS >= MAX_HISTORY_RANGE_DAYS) {
      throw AppError.validation('from', `the range may span at most ${MAX_HISTORY_RANGE_DAYS} days (history is kept ${HISTORY_KEEP_DAYS} days)`);
    }
    const rows = await this.repo.history(tenantId, customerId, fromDay, toDay);
    return { from: fromDay, to: toDay, data: rows.map((r) => ({ day: r.day, score: r.score, band: r.band, configVersion: r.configVersion })) };
  }

  private emitBandChanges(tenantId: string, configVersion: number, at: Date, changes: BandChange[]): void {
    for (const c of changes) {
      const e: HealthBandChangedEvent = { tenantId, customerId: c.customerId, from: c.fromBand, to: c.toBand, previousScore: c.fromScore, score: c.toScore, configVersion, at: at.toISOString() };
      this.events.emit(HEALTH_EVENTS.bandChanged, e);
    }
  }
}

function toCurrent(r: ScoredRow, tenantId: string, configVersion: number, computedAt: Date): CustomerHealth {
  return Object.assign(new CustomerHealth(), {
    customerId: r.customer_id, tenantId, score: r.score, band: r.band, usageScore: r.usage_score, engagementScore: r.engagement_score,
    incidentsScore: r.incidents_score, apiCalls: r.api_calls, logins: r.logins, tickets: r.tickets, ticketPenalty: r.ticket_penalty,
    configVersion, lastActivityAt: toDate(r.last_activity_at), computedAt,
  });
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
