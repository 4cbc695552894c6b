import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { JobQueue } from '../../infra/queue';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WEBHOOK_JOBS, WEBHOOKS_QUEUE } from './webhook-queue';

const MAX_BATCH = 200;
/** How long a new batch's claim holds before the sweeper may give its deliveries to another job. */
export const PRECLAIM_MS = 2 * 60_000;

export type DeliveryRow = Partial<WebhookDelivery> & Pick<WebhookDelivery, 'id' | 'tenantId'>;

interface Pending {
  rows: DeliveryRow[];
  waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }>;
}

/**
 * Coalesces the deliveries that events published in the same tick produce: one multi-row insert and one job per
 * tenant instead of one of each per delivery. Each publisher still waits until its rows are stored and queued,
 * so nothing is acknowledged before it is durable. A lone event is flushed on the next tick, without delay.
 */
@Injectable()
export class DeliveryBatcher {
  private readonly log = new Logger('Webhooks');
  private pending: Pending | null = null;

  constructor(
    private readonly repo: WebhookDeliveriesRepository,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  add(rows: DeliveryRow[]): Promise<void> {
    if (!this.pending) {
      this.pending = { rows: [], waiters: [] };
      setImmediate(() => void this.flush());
    }
    const batch = this.pending;
    batch.rows.push(...rows);
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (batch.rows.length >= MAX_BATCH) void this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    if (!batch) return;
    this.pending = null;
    // New rows are stored already claimed by their job, which then needs no claim of its own.
    const claimToken = randomUUID();
    const lockedUntil = new Date(Date.now() + PRECLAIM_MS + this.config.webhooks.timeoutMs);
    try {
      await this.repo.insertIgnoringDuplicates(batch.rows.map((r) => ({ ...r, claimToken, lockedUntil })));
    } catch (e) {
      for (const w of batch.waiters) w.reject(e);
      return;
    }
    await this.enqueue(batch.rows, undefined, claimToken);
    for (const w of batch.waiters) w.resolve();
  }

  /**
   * One job per tenant (job data carries tenantId for GET /jobs/:id); `claimToken` when the rows are stored
   * claimed for it. A failed enqueue is left to the sweeper.
   */
  async enqueue(rows: Array<Pick<WebhookDelivery, 'id' | 'tenantId'>>, delayMs?: number, claimToken?: string): Promise<void> {
    const byTenant = new Map<string, string[]>();
    for (const r of rows) {
      const list = byTenant.get(r.tenantId) ?? [];
      list.push(r.id);
      byTenant.set(r.tenantId, list);
    }
    for (const [tenantId, deliveryIds] of byTenant) {
      try {
        await this.jobs.add(WEBHOOKS_QUEUE, WEBHOOK_JOBS.deliver, { tenantId, deliveryIds, ...(claimToken ? { claimToken } : {}) }, delayMs ? { delayMs } : {});
      } catch (e) {
        this.log.warn(`could not enqueue ${deliveryIds.length} deliveries; the sweeper will retry them: ${(e as Error).message}`);
      }
    }
  }
}
