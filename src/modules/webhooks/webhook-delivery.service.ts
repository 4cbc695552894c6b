import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OutboundUrlGuard, SecretBox } from '../../infra/outbound';
import { JobQueue } from '../../infra/queue';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { retryDelayMs } from './retry-schedule';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointCache } from './webhook-endpoint-cache';
import { WEBHOOK_JOBS, WEBHOOKS_QUEUE } from './webhook-queue';
import { postJson, SendResult } from './webhook-sender';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';

/** A delivery whose job may be lost gets a new one after this long overdue. */
const ORPHAN_GRACE_MS = 2 * 60_000;
const SWEEP_BATCH = 500;
const RETENTION_MS = 30 * 86400_000;

export type AttemptOutcome = 'skipped' | 'succeeded' | 'retrying' | 'failed' | 'cancelled';

/**
 * Sends deliveries and keeps their state: one claimed attempt at a time per delivery, retries with exponential
 * backoff and jitter as delayed jobs, 410 disables the endpoint, and an endpoint whose deliveries keep using up
 * every attempt is disabled. The database row is the source of truth; a job only says "try this one now", and
 * the sweeper gives a new job to any open delivery whose job was lost, so a delivery is never dropped.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly log = new Logger('Webhooks');

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhooksRepository,
    private readonly cache: WebhookEndpointCache,
    private readonly guard: OutboundUrlGuard,
    private readonly box: SecretBox,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Asks the queue to attempt these deliveries (after `delayMs`). A failed enqueue is left to the sweeper. */
  async enqueue(tenantId: string, deliveryIds: string[], delayMs?: number): Promise<void> {
    for (const deliveryId of deliveryIds) {
      try {
        await this.jobs.add(WEBHOOKS_QUEUE, WEBHOOK_JOBS.deliver, { tenantId, deliveryId }, delayMs ? { delayMs } : {});
      } catch (e) {
        this.log.warn(`could not enqueue delivery ${deliveryId}; the sweeper will retry it: ${(e as Error).message}`);
      }
    }
  }

  /** One attempt. `force` sends even to a disabled endpoint (the test button). */
  async attempt(deliveryId: string, opts: { force?: boolean } = {}): Promise<AttemptOutcome> {
    const now = new Date();
    const lockedUntil = new Date(now.getTime() + this.config.webhooks.timeoutMs + 60_000);
    if (!(await this.deliveries.claim(deliveryId, now, lockedUntil))) return 'skipped';
    const d = await this.deliveries.findWithEndpoint(deliveryId);
    if (!d?.endpoint) return 'skipped';
    const ep = d.endpoint;
    if (!ep.active && !opts.force) {
      await this.deliveries.update(d.id, { status: 'cancelled', lockedUntil: null, nextAttemptAt: null, lastError: 'endpoint is disabled' });
      return 'cancelled';
    }
    const verdict = await this.guard.check(ep.url);
    if (!verdict.ok) {
      const result: SendResult = { status: null, timeMs: 0, error: `refused: url ${verdict.reason}`, retryAfterMs: null };
      return this.recordFailure(d, ep, result, now, verdict.retryable);
    }
    const timestamp = Math.floor(now.getTime() / 1000);
    const result = await postJson(
      ep.url,
      d.body,
      {
        [SIGNATURE_HEADER]: signatureHeader(this.secretsOf(ep, now), timestamp, d.body),
        [EVENT_ID_HEADER]: d.eventId,
        'X-CustomerIQ-Event-Type': d.eventType,
        'X-CustomerIQ-Delivery-Attempt': String(d.attempts + 1),
      },
      this.config.webhooks.timeoutMs,
    );
    if (result.status !== null && result.status >= 200 && result.status < 300) return this.recordSuccess(d, ep, result);
    if (result.status === 410) return this.recordGone(d, ep, result);
    return this.recordFailure(d, ep, result, now, true);
  }

  /** The current secret first, then the previous one while its overlap lasts. */
  private secretsOf(ep: WebhookEndpoint, now: Date): string[] {
    const secrets = [this.box.open(ep.secretSealed, ep.id)];
    if (ep.previousSecretSealed && ep.previousSecretExpiresAt && ep.previousSecretExpiresAt > now) {
      secrets.push(this.box.open(ep.previousSecretSealed, ep.id));
    }
    return secrets;
  }

  private attemptFields(d: WebhookDelivery, r: SendResult): Partial<WebhookDelivery> {
    return { attempts: d.attempts + 1, lastAttemptAt: new Date(), responseStatus: r.status, responseTimeMs: r.timeMs, lockedUntil: null };
  }

  private async recordSuccess(d: WebhookDelivery, ep: WebhookEndpoint, r: SendResult): Promise<AttemptOutcome> {
    await this.deliveries.update(d.id, { ...this.attemptFields(d, r), status: 'succeeded', deliveredAt: new Date(), nextAttemptAt: null, lastError: null });
    if (ep.consecutiveFailures > 0 || ep.failingSince) await this.endpoints.markHealthy(ep.id);
    return 'succeeded';
  }

  private async recordGone(d: WebhookDelivery, ep: WebhookEndpoint, r: SendResult): Promise<AttemptOutcome> {
    const reason = 'receiver answered 410 Gone: endpoint disabled';
    await this.deliveries.update(d.id, { ...this.attemptFields(d, r), status: 'failed', nextAttemptAt: null, lastError: reason });
    await this.endpoints.disable(ep.id, 'gone', new Date());
    await this.deliveries.cancelOpen(ep.id, reason);
    this.cache.invalidate(ep.tenantId);
    this.log.warn(`webhook endpoint ${ep.id} disabled: 410 Gone`);
    return 'failed';
  }

  private async recordFailure(d: WebhookDelivery, ep: WebhookEndpoint, r: SendResult, now: Date, retryable: boolean): Promise<AttemptOutcome> {
    const attempts = d.attempts + 1;
    await this.endpoints.markFailing(ep.id, now);
    if (retryable && attempts < d.maxAttempts) {
      const delay = retryDelayMs(attempts, this.config.webhooks.retryBaseMs, r.retryAfterMs);
      await this.deliveries.update(d.id, { ...this.attemptFields(d, r), status: 'retrying', nextAttemptAt: new Date(Date.now() + delay), lastError: r.error });
      await this.enqueue(d.tenantId, [d.id], delay);
      return 'retrying';
    }
    await this.deliveries.update(d.id, { ...this.attemptFields(d, r), status: 'failed', nextAttemptAt: null, lastError: r.error });
    if (await this.endpoints.recordExhaustedDelivery(ep.id, now, this.config.webhooks.disableAfterFailures)) {
      await this.deliveries.cancelOpen(ep.id, 'endpoint disabled after too many failed deliveries');
      this.cache.invalidate(ep.tenantId);
      this.log.warn(`webhook endpoint ${ep.id} disabled after ${this.config.webhooks.disableAfterFailures} failed deliveries in a row`);
    }
    return 'failed';
  }

  /**
   * Periodic safety net (every minute): gives a new job to open deliveries whose job is overdue (lost with a
   * restarted in-process queue or a failed enqueue) and to claims whose worker died, then purges old history.
   */
  async sweep(now = new Date()): Promise<{ requeued: number; purged: number }> {
    const orphans = await this.deliveries.findOrphans(now, ORPHAN_GRACE_MS, SWEEP_BATCH);
    await this.deliveries.touchDue(orphans.map((o) => o.id), now);
    for (const o of orphans) await this.enqueue(o.tenantId, [o.id]);
    const purged = await this.deliveries.purgeFinished(new Date(now.getTime() - RETENTION_MS), SWEEP_BATCH);
    if (orphans.length) this.log.log(`requeued ${orphans.length} webhook deliveries without a job`);
    return { requeued: orphans.length, purged };
  }
}
