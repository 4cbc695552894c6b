import { Injectable } from '@nestjs/common';
import { JobView } from '../../infra/queue';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CustomersService } from '../customers';
import { CustomerHealthDto, HealthHistoryDto } from './dto/customer-health.dto';
import { HealthDailySummary } from './entities/health-daily-summary.entity';
import { HealthConfigService, VersionedModel } from './health-config.service';
import { DAY_MS, dayOf, HISTORY_KEEP_DAYS, windowOf } from './health-score.constants';
import { PenaltySeverity } from './health-score.model';
import { HealthScoreRepository, toDate } from './health-score.repository';
import { HealthRecomputeService } from './health-recompute.service';
import { HealthSummaryRepository } from './health-summary.repository';

const MAX_HISTORY_RANGE_DAYS = 400;

export type HealthTotals = Pick<HealthDailySummary, 'day' | 'customers' | 'scoreSum' | 'healthy' | 'atRisk' | 'critical' | 'active' | 'computedAt'>;

/** The health-score module's surface for other modules and its read endpoints: explain, history, totals. */
@Injectable()
export class HealthScoreService {
  constructor(
    private readonly repo: HealthScoreRepository,
    private readonly summaries: HealthSummaryRepository,
    private readonly configs: HealthConfigService,
    private readonly recompute: HealthRecomputeService,
    private readonly customers: CustomersService,
  ) {}

  /** Asks for a (de-duplicated) recompute of one customer, e.g. after the events module ingested its activity. */
  requestRecompute(tenantId: string, customerId: string): Promise<JobView> {
    return this.recompute.requestRecompute(tenantId, customerId);
  }

  /** The current score of a customer with its components, the tickets behind the incidents part, and its change. */
  async getHealth(tenantId: string, customerId: string): Promise<CustomerHealthDto> {
    await this.customers.assertExists(tenantId, customerId);
    let cur = await this.repo.findCurrent(tenantId, customerId);
    if (!cur) {
      await this.recompute.recomputeCustomer(tenantId, customerId);
      cur = await this.repo.findCurrent(tenantId, customerId);
      if (!cur) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', customerId);
    }
    const model: VersionedModel = (await this.configs.version(tenantId, cur.configVersion)) ?? (await this.configs.current(tenantId));
    // A full recompute leaves unchanged rows alone: the score holds as of the later of its write and that recompute.
    const latest = await this.summaries.latest(tenantId);
    const written = toDate(cur.computedAt)!;
    const checked = latest ? toDate(latest.computedAt)! : written;
    const computedAt = checked > written ? checked : written;
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

  /** The tenant's latest daily totals (scored live customers, score sum, bands, active in 30 days), or null. */
  async latestTotals(tenantId: string): Promise<HealthTotals | null> {
    return this.summaries.latest(tenantId);
  }

  /** Daily totals from `fromDay` on, oldest first (one row per day that has a full recompute or backfill). */
  dailyTotals(tenantId: string, fromDay: string): Promise<HealthTotals[]> {
    return this.summaries.range(tenantId, fromDay);
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
