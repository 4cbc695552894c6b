import { Injectable } from '@nestjs/common';
import { fromMinorUnits, toMinorUnits } from '../../shared/money';
import { CustomerFactsRegistry } from '../segments';
import { AnalyticsCache } from './analytics-cache';
import { AnalyticsService, Cached, labelOf, round1 } from './analytics.service';
import { ChurnReasonDto, ChurnRiskDto, ClvDistributionDto, RevenueRiskDto } from './dto/analytics.dto';
import { ChurnRow, RiskAnalyticsRepository } from './risk-analytics.repository';

const DAY_MS = 86_400_000;
export const DEFAULT_CLV_EDGES = [50, 100, 250, 500, 1000, 2500, 5000, 10000];

/** Who is at risk and what it is worth: revenue at risk, churn ranking with reasons, CLV distribution. */
@Injectable()
export class RiskAnalyticsService {
  constructor(
    private readonly repo: RiskAnalyticsRepository,
    private readonly cache: AnalyticsCache,
    private readonly analytics: AnalyticsService,
    private readonly facts: CustomerFactsRegistry,
  ) {}

  private clvExpression(): string | null {
    return this.facts.get('predictedClv')?.expression(this.repo.sql) ?? null;
  }

  revenueRisk(tenantId: string, limit: number, now = new Date()): Promise<Cached<RevenueRiskDto>> {
    return this.cache.getOrCompute(tenantId, 'revenue-risk', { limit }, async () => {
      const since = new Date(now.getTime() - 365 * DAY_MS);
      const clv = this.clvExpression();
      const [bands, top, currency] = await Promise.all([
        this.repo.revenueByBand(tenantId, since, clv), this.repo.topRevenueAtRisk(tenantId, since, clv, limit), this.analytics.currencyOf(tenantId),
      ]);
      const money = (minor: number | null) => (minor === null ? null : fromMinorUnits(minor, currency));
      const of = (band: string) => {
        const b = bands.find((x) => x.band === band);
        return { customers: b?.customers ?? 0, revenue12m: money(b?.revenue ?? 0)!, predictedClv: clv ? (money(b?.clv ?? 0) ?? 0) : null };
      };
      const total = bands.reduce((a, b) => a + b.revenue, 0);
      const risky = bands.filter((b) => b.band !== 'healthy').reduce((a, b) => a + b.revenue, 0);
      return {
        currency, totalRevenue12m: money(total)!, atRisk: of('at_risk'), critical: of('critical'),
        shareAtRisk: total ? Math.round((risky / total) * 1000) / 1000 : 0, predictedClvAvailable: clv !== null,
        top: top.map((r) => ({ ...labelOf(r), score: r.score, band: r.band, revenue12m: money(r.revenue)!, predictedClv: money(r.clv) })),
      };
    });
  }

  churnRisk(tenantId: string, limit: number, now = new Date()): Promise<Cached<ChurnRiskDto>> {
    return this.cache.getOrCompute(tenantId, 'churn-risk', { limit }, async () => {
      const beforeDay = new Date(now.getTime() - 30 * DAY_MS).toISOString().slice(0, 10);
      const rows = await this.repo.churnRanking(tenantId, now, beforeDay, limit);
      return { data: rows.map((r) => ({ ...labelOf(r), risk: Math.round(r.risk), score: r.score, band: r.band, reasons: reasonsOf(r) })) };
    });
  }

  clv(tenantId: string, edgesMajor: number[] | undefined): Promise<Cached<ClvDistributionDto>> {
    const edges = edgesMajor ?? DEFAULT_CLV_EDGES;
    return this.cache.getOrCompute(tenantId, 'clv', { edges }, async () => {
      const currency = await this.analytics.currencyOf(tenantId);
      const sorted = [...new Set(edges)].sort((a, b) => a - b);
      const minorEdges = sorted.map((e) => toMinorUnits(e, currency, 'edges'));
      const clv = this.clvExpression();
      const rows = await this.repo.valueBuckets(tenantId, minorEdges, clv);
      const customers = rows.reduce((a, r) => a + r.customers, 0);
      const total = rows.reduce((a, r) => a + r.total, 0);
      const bounds = [0, ...sorted];
      return {
        basis: clv ? 'predicted' : 'historical', currency, customers,
        average: customers ? round1(fromMinorUnits(total, currency) / customers) : 0,
        buckets: bounds.map((from, i) => ({ from, to: i < sorted.length ? sorted[i] : null, customers: rows.find((r) => r.bucket === i)?.customers ?? 0 })),
      };
    });
  }
}

function reasonsOf(r: ChurnRow): ChurnReasonDto[] {
  const reasons: ChurnReasonDto[] = [];
  if (r.band !== 'healthy') reasons.push({ code: 'low_health', message: `Health ${r.score} (${r.band})`, data: { score: r.score, band: r.band } });
  if (r.score_before !== null && r.score_before - r.score >= 10) {
    reasons.push({ code: 'falling_health', message: `Health fell from ${r.score_before} to ${r.score} in 30 days`, data: { from: r.score_before, to: r.score, change: r.score - r.score_before } });
  }
  if (r.orders >= 2 && r.days_since_last !== null && r.usual_interval !== null && r.days_since_last >= 7 && r.days_since_last > 2 * r.usual_interval) {
    const since = Math.floor(r.days_since_last);
    const usual = Math.round(r.usual_interval * 10) / 10;
    reasons.push({ code: 'purchase_overdue', message: `No purchase for ${since} days; usually every ${usual} days`, data: { daysSinceLastPurchase: since, usualIntervalDays: usual } });
  }
  if (r.critical_open > 0) reasons.push({ code: 'open_critical_tickets', message: `${r.critical_open} open critical ticket(s)`, data: { count: r.critical_open } });
  return reasons;
}
