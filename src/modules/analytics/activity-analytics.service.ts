import { Injectable } from '@nestjs/common';
import { CustomersService } from '../customers';
import { AnalyticsCache } from './analytics-cache';
import type { Cached } from './analytics.service';
import { ActivityAnalyticsRepository, ActivityWindow } from './activity-analytics.repository';
import { LoginHeatmapDto, UsageDto } from './dto/activity-analytics.dto';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Usage per day and the login heatmap, tenant-wide or for one customer, over the last `days` UTC days. */
@Injectable()
export class ActivityAnalyticsService {
  constructor(
    private readonly repo: ActivityAnalyticsRepository,
    private readonly cache: AnalyticsCache,
    private readonly customers: CustomersService,
  ) {}

  /** The window is whole UTC days: today and the `days - 1` before it (today may be partial). */
  private async window(tenantId: string, customerId: string | undefined, days: number, now: Date): Promise<ActivityWindow & { today: number }> {
    if (customerId) await this.customers.assertExists(tenantId, customerId);
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    return { tenantId, customerId: customerId ?? null, from: new Date(today - (days - 1) * DAY_MS), to: new Date(today + DAY_MS), today };
  }

  async usage(tenantId: string, days: number, customerId?: string, now = new Date()): Promise<Cached<UsageDto>> {
    const w = await this.window(tenantId, customerId, days, now);
    return this.cache.getOrCompute(tenantId, 'usage', { days, customerId: w.customerId }, async () => {
      const byDay = new Map((await this.repo.apiCallsPerDay(w)).map((r) => [r.day, r.apiCalls]));
      const data = Array.from({ length: days }, (_, i) => {
        const day = dayOf(w.today - (days - 1 - i) * DAY_MS);
        return { day, apiCalls: byDay.get(day) ?? 0 };
      });
      return { days, customerId: w.customerId, totalApiCalls: data.reduce((a, d) => a + d.apiCalls, 0), data };
    });
  }

  async loginHeatmap(tenantId: string, days: number, customerId?: string, now = new Date()): Promise<Cached<LoginHeatmapDto>> {
    const w = await this.window(tenantId, customerId, days, now);
    return this.cache.getOrCompute(tenantId, 'login-heatmap', { days, customerId: w.customerId }, async () => {
      const cells = WEEKDAYS.map(() => Array.from({ length: 24 }, () => 0));
      for (const r of await this.repo.loginsPerWeekdayHour(w)) {
        if (r.weekday >= 1 && r.weekday <= 7 && r.hour >= 0 && r.hour < 24) cells[r.weekday - 1][r.hour] += r.logins;
      }
      const flat = cells.flat();
      return { days, customerId: w.customerId, timezone: 'UTC', weekdays: WEEKDAYS, total: flat.reduce((a, v) => a + v, 0), max: Math.max(0, ...flat), cells };
    });
  }
}
