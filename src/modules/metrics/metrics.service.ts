import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { customerBatchJobs, JobQueue, JobView } from '../../infra/queue';
import { AppError, ErrorCode } from '../../shared/app-error';
import { forEachConcurrently } from '../../shared/concurrency';
import { CustomerScoped } from '../../shared/domain-event';
import { FrequencyBand } from '../../shared/customer-segments';
import { CustomerFilterClause, CustomersService } from '../customers';
import { TenantsService } from '../identity';
import {
  bandRange,
  CLV_MODEL,
  daysSince,
  DEFAULT_FREQUENCY_THRESHOLDS,
  frequencyBandOf,
  FrequencyThresholds,
  predictClv,
  thresholdErrors,
  uuidChunkBounds,
  windowStartOf,
} from './customer-metrics.model';
import { CustomerMetricsDto } from './dto/metrics.dto';
import { METRICS_JOBS, METRICS_QUEUE } from './metrics.jobs';
import { MetricsRepository, RecomputeParams } from './metrics.repository';

/** Purchases per recompute chunk: one statement each, short enough to keep locks and progress steps small. */
const CHUNK_PURCHASES = 250_000;
const MAX_CHUNKS = 4096;
const WINDOW_REFRESH_BATCH = 500;
/** Customers per recompute statement of a batch job (bound as parameters: SQL Server allows 2100). */
const CUSTOMER_CHUNK = 500;

export interface RecomputeProgress {
  processedPurchases: number;
  totalPurchases: number;
  percent: number;
}

export interface TenantRecomputeResult {
  /** Metrics rows inserted or changed (unchanged customers are not rewritten). */
  rowsWritten: number;
  purchases: number;
  chunks: number;
  durationMs: number;
}

/** Purchase metrics per customer: reads, the recompute (per customer, per tenant, nightly) and list filters. */
@Injectable()
export class MetricsService {
  private readonly log = new Logger('MetricsService');

  constructor(
    private readonly repo: MetricsRepository,
    private readonly tenants: TenantsService,
    private readonly customers: CustomersService,
    private readonly ds: DataSource,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  /** The customer's metrics as of `now` (daysSinceLastPurchase and the CLV prediction are computed at read time). */
  async getMetrics(tenantId: string, customerId: string, now = new Date()): Promise<CustomerMetricsDto> {
    await this.customers.assertExists(tenantId, customerId);
    const [row, settings] = await Promise.all([this.repo.find(tenantId, customerId), this.settingsOf(tenantId)]);
    const m = {
      totalSpentMinor: row?.totalSpentMinor ?? 0,
      orderCount: row?.orderCount ?? 0,
      firstPurchaseAt: row?.firstPurchaseAt ?? null,
      lastPurchaseAt: row?.lastPurchaseAt ?? null,
    };
    const clv = predictClv(m, now);
    return {
      customerId,
      currency: row?.currency ?? settings.currency,
      totalSpentMinor: m.totalSpentMinor,
      grossSpentMinor: row?.grossSpentMinor ?? 0,
      refundedMinor: row?.refundedMinor ?? 0,
      orderCount: m.orderCount,
      averageOrderValueMinor: m.orderCount ? Math.round(m.totalSpentMinor / m.orderCount) : 0,
      firstPurchaseAt: m.firstPurchaseAt,
      lastPurchaseAt: m.lastPurchaseAt,
      daysSinceLastPurchase: daysSince(m.lastPurchaseAt, now),
      isRepeat: m.orderCount >= 2,
      ordersLast365Days: row?.windowOrderCount ?? 0,
      frequencyBand: frequencyBandOf(row?.windowOrderCount ?? 0, settings.frequencyBands),
      clv: { historicalMinor: m.totalSpentMinor, predicted12mMinor: clv.predicted12mMinor, expectedOrders12m: clv.expectedOrders12m, model: CLV_MODEL },
      computedAt: row?.computedAt ?? null,
    };
  }

  /** Queues the recompute of the customers whose purchases a commit changed: a job per tenant, merged while it waits. */
  enqueueCustomers(customers: CustomerScoped[]): Promise<void> {
    return this.jobs.addMany(METRICS_QUEUE, customerBatchJobs(METRICS_JOBS.customers, customers, { attempts: 3, backoffMs: 1000 }));
  }

  async recomputeCustomer(tenantId: string, customerId: string, now = new Date()): Promise<{ customerId: string; written: number }> {
    return { customerId, written: (await this.recomputeCustomers(tenantId, [customerId], now)).written };
  }

  /** Many customers of a tenant, CUSTOMER_CHUNK per statement (the ids are bound parameters). */
  async recomputeCustomers(tenantId: string, customerIds: string[], now = new Date()): Promise<{ customers: number; written: number }> {
    const params = await this.paramsOf(tenantId, now);
    let written = 0;
    for (let i = 0; i < customerIds.length; i += CUSTOMER_CHUNK) {
      const chunk = customerIds.slice(i, i + CUSTOMER_CHUNK);
      const n = await this.repo.recompute({ kind: 'customers', customerIds: chunk }, params);
      if (n < chunk.length) await this.repo.deleteIfNoPurchases(tenantId, chunk);
      written += n;
    }
    return { customers: customerIds.length, written };
  }

  /** Starts the whole-tenant recompute as a background job (GET /jobs/:id shows its progress). */
  async startTenantRecompute(tenantId: string, requestedBy: string): Promise<JobView> {
    return this.jobs.add(METRICS_QUEUE, METRICS_JOBS.tenant, { tenantId, requestedBy }, { dedupeId: `tenant:${tenantId}` });
  }

  /**
   * Rebuilds every customer's row of the tenant with set-based SQL, one statement per chunk of about
   * CHUNK_PURCHASES purchases. Chunks are ranges of the customer-id space (uuidChunkBounds), so finding them
   * costs nothing and a customer is never split. Chunks run as many at a time as Postgres would give one query
   * (a writing statement cannot use parallel workers itself); one at a time on SQLite.
   */
  async recomputeTenant(
    tenantId: string,
    onProgress: (p: RecomputeProgress) => Promise<unknown>,
    opts: { now?: Date; chunkPurchases?: number } = {},
  ): Promise<TenantRecomputeResult> {
    const started = Date.now();
    const params = await this.paramsOf(tenantId, opts.now ?? new Date());
    const total = await this.repo.countPurchases(tenantId);
    const chunks = Math.min(MAX_CHUNKS, Math.max(1, Math.ceil(total / (opts.chunkPurchases ?? CHUNK_PURCHASES))));
    const bounds = uuidChunkBounds(chunks);
    const ranges = Array.from({ length: chunks }, (_, k) => ({ after: k === 0 ? null : bounds[k - 1], upTo: k === chunks - 1 ? null : bounds[k] }));
    const parallel = await this.repo.parallelism();
    let written = 0;
    let done = 0;
    await forEachConcurrently(ranges, parallel, async (range) => {
      // Not `written += await ...`: that reads `written` before the await and loses the other worker's rows.
      const n = await this.repo.recompute({ kind: 'range', ...range }, params);
      written += n;
      done += 1;
      const processed = done === chunks ? total : Math.round((total * done) / chunks);
      await onProgress({ processedPurchases: processed, totalPurchases: total, percent: Math.round((done / chunks) * 100) });
    });
    const result = { rowsWritten: written, purchases: total, chunks, durationMs: Date.now() - started };
    this.log.log(`tenant ${tenantId}: recomputed metrics from ${total} purchases in ${result.durationMs} ms (${written} rows changed)`);
    return result;
  }

  /**
   * Nightly: orders age out of the 365-day window without any new purchase, so every customer who still has
   * orders in the window is recomputed (customers with none cannot change until they buy, which recomputes them).
   * Rows of customers deleted without their event reaching us are dropped.
   */
  async refreshWindows(now = new Date()): Promise<{ tenants: number; rowsWritten: number; orphansDropped: number }> {
    let rowsWritten = 0;
    let orphansDropped = 0;
    const tenants = await this.repo.tenantsWithMetrics();
    for (const tenantId of tenants) {
      const params = await this.paramsOf(tenantId, now);
      for (let after: string | null = null; ; ) {
        const ids = await this.repo.customersWithWindowOrders(tenantId, after, WINDOW_REFRESH_BATCH);
        if (!ids.length) break;
        rowsWritten += await this.repo.recompute({ kind: 'customers', customerIds: ids }, params);
        after = ids[ids.length - 1];
      }
      orphansDropped += await this.repo.deleteOrphans(tenantId);
    }
    return { tenants: tenants.length, rowsWritten, orphansDropped };
  }

  /** A hard-deleted customer's row goes with it (customer_metrics has no foreign key; see the migration). */
  forgetCustomer(tenantId: string, customerId: string): Promise<void> {
    return this.repo.deleteCustomer(tenantId, customerId);
  }

  async getSettings(tenantId: string): Promise<{ frequencyBands: FrequencyThresholds }> {
    return { frequencyBands: (await this.settingsOf(tenantId)).frequencyBands };
  }

  /** Band thresholds apply at once to reads and list filters (bands are derived, not stored). */
  async updateSettings(tenantId: string, s: { frequencyBands: FrequencyThresholds }): Promise<{ frequencyBands: FrequencyThresholds }> {
    const errors = thresholdErrors(s.frequencyBands);
    if (errors.length) throw new AppError(ErrorCode.VALIDATION_FAILED, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    const bands = { occasional: s.frequencyBands.occasional, regular: s.frequencyBands.regular, frequent: s.frequencyBands.frequent };
    await this.tenants.updateSettings(tenantId, { frequencyBands: bands });
    return { frequencyBands: bands };
  }

  /** WHERE clauses for the customer list's purchase filters (customers without a metrics row have 0 of everything). */
  async listFilters(tenantId: string, q: Record<string, unknown>): Promise<CustomerFilterClause[]> {
    const has: string[] = [];
    const hasNot: string[] = [];
    const params: Record<string, unknown> = { fmTenant: tenantId };
    const num = (k: string) => (typeof q[k] === 'number' ? (q[k] as number) : undefined);
    if ((num('totalSpentMin') ?? 0) > 0) {
      has.push('fm.total_spent_minor >= :fmSpentMin');
      params.fmSpentMin = num('totalSpentMin');
    }
    if (num('totalSpentMax') !== undefined) {
      hasNot.push('fm.total_spent_minor > :fmSpentMax');
      params.fmSpentMax = num('totalSpentMax');
    }
    if ((num('orderCountMin') ?? 0) > 0) {
      has.push('fm.order_count >= :fmOrdersMin');
      params.fmOrdersMin = num('orderCountMin');
    }
    if (q.isRepeat === true) has.push('fm.order_count >= 2');
    if (q.isRepeat === false) hasNot.push('fm.order_count >= 2');
    if (typeof q.lastPurchaseFrom === 'string') {
      has.push('fm.last_purchase_at >= :fmLpFrom');
      params.fmLpFrom = new Date(q.lastPurchaseFrom);
    }
    if (typeof q.lastPurchaseTo === 'string') {
      has.push('fm.last_purchase_at <= :fmLpTo');
      params.fmLpTo = new Date(q.lastPurchaseTo);
    }
    const bands = Array.isArray(q.frequencyBand) ? (q.frequencyBand as FrequencyBand[]) : [];
    if (bands.length) {
      const t = (await this.settingsOf(tenantId)).frequencyBands;
      const ors = bands.map((b, i) => {
        const r = bandRange(b, t);
        params[`fmBandMin${i}`] = r.min;
        if (r.max === null) return `fm.window_order_count >= :fmBandMin${i}`;
        params[`fmBandMax${i}`] = r.max;
        return `(fm.window_order_count >= :fmBandMin${i} AND fm.window_order_count <= :fmBandMax${i})`;
      });
      has.push(`(${ors.join(' OR ')})`);
    }
    const out: CustomerFilterClause[] = [];
    // The primary key (tenant_id, customer_id) serves both the tenant range and the per-customer NOT EXISTS.
    if (has.length) out.push({ sql: `c.id IN (SELECT fm.customer_id FROM customer_metrics fm WHERE fm.tenant_id = :fmTenant AND ${has.join(' AND ')})`, params });
    if (hasNot.length) out.push({ sql: `NOT EXISTS (SELECT 1 FROM customer_metrics fm WHERE fm.tenant_id = c.tenant_id AND fm.customer_id = c.id AND (${hasNot.join(' OR ')}))`, params });
    return out;
  }

  private async settingsOf(tenantId: string): Promise<{ currency: string; frequencyBands: FrequencyThresholds }> {
    const t = await this.tenants.get(tenantId);
    const stored = t.settings.frequencyBands as Partial<FrequencyThresholds> | undefined;
    return { currency: t.settings.baseCurrency ?? 'USD', frequencyBands: { ...DEFAULT_FREQUENCY_THRESHOLDS, ...stored } };
  }

  private async paramsOf(tenantId: string, now: Date): Promise<RecomputeParams> {
    const { currency } = await this.settingsOf(tenantId);
    return { tenantId, currency, now, windowStart: windowStartOf(now) };
  }
}
