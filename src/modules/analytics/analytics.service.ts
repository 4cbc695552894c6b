import { Injectable } from '@nestjs/common';
import { fromMinorUnits } from '../../shared/money';
import { HealthScoreService } from '../health-score';
import { TenantsService } from '../identity';
import { SegmentsService } from '../segments';
import { AnalyticsCache } from './analytics-cache';
import { AnalyticsRepository, CustomerLabelRow } from './analytics.repository';
import { CohortsDto, HealthTrendsDto, IncidentsDto, OverviewDto, SegmentSizesDto, SeverityCountsDto } from './dto/analytics.dto';

const DAY_MS = 86_400_000;
export type Cached<T> = { value: T; cached: boolean };

export const labelOf = (r: CustomerLabelRow): { customerId: string; name: string | null; email: string | null } => ({
  customerId: r.customer_id,
  name: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.company_name || null,
  email: r.email,
});

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const emptySeverities = (): SeverityCountsDto => ({ critical: 0, high: 0, medium: 0, low: 0 });

/** Tenant-wide figures for dashboards: overview, health trends, incidents, cohorts, segment sizes. */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly repo: AnalyticsRepository,
    private readonly cache: AnalyticsCache,
    private readonly tenants: TenantsService,
    private readonly segments: SegmentsService,
    private readonly health: HealthScoreService,
  ) {}

  async currencyOf(tenantId: string): Promise<string> {
    return (await this.tenants.get(tenantId)).settings.baseCurrency ?? 'USD';
  }

  /**
   * Customers, activity and health come from the tenant's daily totals (one row, kept current by the health-score
   * module), so the answer does not scan every customer; revenue and open tickets are two indexed aggregates.
   */
  overview(tenantId: string, now = new Date()): Promise<Cached<OverviewDto>> {
    return this.cache.getOrCompute(tenantId, 'overview', {}, async () => {
      const since = new Date(now.getTime() - 30 * DAY_MS);
      const [totals, revenue, openTickets, currency] = await Promise.all([
        this.health.latestTotals(tenantId), this.repo.netRevenueSince(tenantId, since), this.repo.openTickets(tenantId), this.currencyOf(tenantId),
      ]);
      // Before its first recompute a tenant has no totals yet: count its customers directly (it is small then).
      const customers = totals ? totals.customers : await this.repo.countCustomers(tenantId);
      return {
        customers,
        active30d: totals?.active ?? 0,
        averageHealth: totals?.customers ? round1(totals.scoreSum / totals.customers) : null,
        bands: { healthy: totals?.healthy ?? 0, at_risk: totals?.atRisk ?? 0, critical: totals?.critical ?? 0 },
        revenue30d: fromMinorUnits(revenue, currency),
        currency,
        openTickets,
      };
    });
  }

  /** Daily average score and band counts from the daily totals; days without a recompute show customers 0. */
  healthTrends(tenantId: string, days: number, now = new Date()): Promise<Cached<HealthTrendsDto>> {
    return this.cache.getOrCompute(tenantId, 'health-trends', { days }, async () => {
      const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      const from = dayOf(today - (days - 1) * DAY_MS);
      const rows = new Map((await this.health.dailyTotals(tenantId, from)).map((r) => [r.day, r]));
      const data = Array.from({ length: days }, (_, i) => {
        const day = dayOf(today - (days - 1 - i) * DAY_MS);
        const r = rows.get(day);
        return {
          day,
          averageScore: r && r.customers ? round1(r.scoreSum / r.customers) : null,
          customers: r?.customers ?? 0,
          bands: { healthy: r?.healthy ?? 0, at_risk: r?.atRisk ?? 0, critical: r?.critical ?? 0 },
        };
      });
      return { days, data };
    });
  }

  incidents(tenantId: string, days: number, limit: number, now = new Date()): Promise<Cached<IncidentsDto>> {
    return this.cache.getOrCompute(tenantId, 'incidents', { days, limit }, async () => {
      const since = new Date(now.getTime() - days * DAY_MS);
      const [rows, top] = await Promise.all([this.repo.ticketsBySeverityAndDay(tenantId, since), this.repo.topTicketCustomers(tenantId, since, limit)]);
      const bySeverity = emptySeverities();
      const byDay = new Map<string, { day: string; tickets: number; bySeverity: SeverityCountsDto }>();
      let total = 0;
      let open = 0;
      for (const r of rows) {
        const sev = r.severity as keyof SeverityCountsDto;
        if (sev in bySeverity) bySeverity[sev] += r.tickets;
        total += r.tickets;
        open += r.open;
        const d = byDay.get(r.day) ?? { day: r.day, tickets: 0, bySeverity: emptySeverities() };
        d.tickets += r.tickets;
        if (sev in d.bySeverity) d.bySeverity[sev] += r.tickets;
        byDay.set(r.day, d);
      }
      return {
        days, total, open, bySeverity, byDay: [...byDay.values()],
        topCustomers: top.map((t) => ({ ...labelOf(t), tickets: t.tickets, critical: t.critical, open: t.open })),
      };
    });
  }

  cohorts(tenantId: string, months: number, now = new Date()): Promise<Cached<CohortsDto>> {
    return this.cache.getOrCompute(tenantId, 'cohorts', { months }, async () => {
      const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
      const { sizes, active } = await this.repo.cohorts(tenantId, first);
      const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
      const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
      const data = [...sizes.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cohort, customers]) => {
          const shares = Array.from({ length: current - monthIndex(cohort) + 1 }, () => 0);
          for (const a of active) {
            const k = monthIndex(a.month) - monthIndex(cohort);
            if (a.cohort === cohort && k >= 0 && k < shares.length) shares[k] = Math.round((a.customers / customers) * 1000) / 1000;
          }
          return { cohort, customers, purchasedShare: shares };
        });
      return { by: 'month', data };
    });
  }

  segmentSizes(tenantId: string): Promise<Cached<SegmentSizesDto>> {
    return this.cache.getOrCompute(tenantId, 'segments', {}, async () => ({
      data: (await this.segments.list(tenantId)).map((s) => ({ segmentId: s.id, name: s.name, customers: s.memberCount, evaluatedAt: s.evaluatedAt })),
    }));
  }
}

export const round1 = (v: number): number => Math.round(v * 10) / 10;
