import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { OutboundUrlGuard, SecretBox } from '../../infra/outbound';
import { DeliveryBatcher, PRECLAIM_MS } from './delivery-batcher';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookEndpoint } from './entities/webhook-endpoint.entity';
import { retryDelayMs } from './retry-schedule';
import { SendLimiter } from './send-limiter';
import { ClaimedDelivery, WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookEndpointCache } from './webhook-endpoint-cache';
import { postJson, SendResult } from './webhook-sender';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';

const SWEEP_BATCH = 500;
const RETENTION_MS = 30 * 86400_000;

export type AttemptOutcome = 'succeeded' | 'retrying' | 'failed' | 'cancelled';

interface Attempted {
  d: ClaimedDelivery;
  outcome: AttemptOutcome;
  patch: Partial<WebhookDelivery>;
  retryInMs?: number;
}

/**
 * Sends deliveries and keeps their state: each attempt runs under a claim (so duplicate jobs never send one
 * delivery twice at once), at most WEBHOOK_CONCURRENCY requests are in flight per process, failures retry with
 * exponential backoff and jitter as delayed jobs, 410 disables the endpoint, and an endpoint whose deliveries keep
 * using up every attempt is disabled. The database row is the source of truth; a job only says "try these now",
 * and the sweeper gives a new job to any open delivery whose job was lost, so a delivery is never dropped.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly log = new Logger('Webhooks');
  private readonly limiter: SendLimiter;
  private readonly secrets = new Map<string, string>();

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhooksRepository,
    private readonly cache: WebhookEndpointCache,
    private readonly batcher: DeliveryBatcher,
    private readonly guard: OutboundUrlGuard,
    private readonly box: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.limiter = new SendLimiter(config.webhooks.concurrency);
  }

  /** Asks the queue to attempt these deliveries (after `delayMs`). A failed enqueue is left to the sweeper. */
  enqueue(tenantId: string, deliveryIds: string[], delayMs?: number): Promise<void> {
    return this.batcher.enqueue(deliveryIds.map((id) => ({ id, tenantId })), delayMs);
  }

  /**
   * One attempt for each of these deliveries that is due. `claimToken`: the deliveries were stored claimed for
   * this job; otherwise they are claimed now. `force` sends even to a disabled endpoint (the test button).
   */
  async attempt(ids: string[], opts: { force?: boolean; claimToken?: string } = {}): Promise<Record<AttemptOutcome | 'skipped', number>> {
    const now = new Date();
    const token = opts.claimToken ?? randomUUID();
    if (!opts.claimToken) await this.deliveries.claim(ids, token, now, new Date(now.getTime() + this.config.webhooks.timeoutMs + 60_000));
    const claimed = await this.deliveries.findClaimed(ids, token);
    for (const d of claimed) d.endpoint = (await this.cache.byId(d.tenantId, d.endpointId)) ?? undefined;
    const done = await Promise.all(claimed.map((d) => this.limiter.run(() => this.attemptOne(d, opts.force ?? false))));
    const ok = done.filter((a) => a.outcome === 'succeeded');
    await this.deliveries.recordOutcomes(
      token,
      ok.map((a) => ({ id: a.d.id, status: a.patch.responseStatus!, timeMs: a.patch.responseTimeMs! })),
      done.filter((a) => a.outcome !== 'succeeded').map((a) => ({ id: a.d.id, patch: a.patch })),
      new Date(),
    );
    await this.afterAttempts(done);
    const counts = { succeeded: 0, retrying: 0, failed: 0, cancelled: 0, skipped: ids.length - claimed.length };
    for (const a of done) counts[a.outcome]++;
    return counts;
  }

  private async attemptOne(d: ClaimedDelivery, force: boolean): Promise<Attempted> {
    const ep = d.endpoint;
    if (!ep) return { d, outcome: 'cancelled', patch: { status: 'cancelled', lockedUntil: null, nextAttemptAt: null, lastError: 'endpoint was deleted' } };
    if (!ep.active && !force) return { d, outcome: 'cancelled', patch: { status: 'cancelled', lockedUntil: null, nextAttemptAt: null, lastError: 'endpoint is disabled' } };
    const verdict = await this.guard.check(ep.url);
    if (!verdict.ok) return this.failure(d, { status: null, timeMs: 0, error: `refused: url ${verdict.reason}`, retryAfterMs: null }, verdict.retryable);
    const now = new Date();
    const result = await postJson(
      ep.url,
      d.body,
      {
        [SIGNATURE_HEADER]: signatureHeader(this.secretsOf(ep, now), Math.floor(now.getTime() / 1000), d.body),
        [EVENT_ID_HEADER]: d.eventId,
        'X-CustomerIQ-Event-Type': d.eventType,
        'X-CustomerIQ-Delivery-Attempt': String(d.attempts + 1),
      },
      this.config.webhooks.timeoutMs,
    );
    if (result.status !== null && result.status >= 200 && result.status < 300) {
      return { d, outcome: 'succeeded', patch: { ...attemptFields(d, result), status: 'succeeded', deliveredAt: new Date(), nextAttemptAt: null, lastError: null } };
    }
    if (result.status === 410) {
      return { d, outcome: 'failed', patch: { ...attemptFields(d, result), status: 'failed', nextAttemptAt: null, lastError: 'receiver answered 410 Gone: endpoint disabled' } };
    }
    return this.failure(d, result, true);
  }

  private failure(d: ClaimedDelivery, r: SendResult, retryable: boolean): Attempted {
    if (retryable && d.attempts + 1 < d.maxAttempts) {
      const delay = retryDelayMs(d.attempts + 1, this.config.webhooks.retryBaseMs, r.retryAfterMs);
      return { d, outcome: 'retrying', retryInMs: delay, patch: { ...attemptFields(d, r), status: 'retrying', nextAttemptAt: new Date(Date.now() + delay), lastError: r.error } };
    }
    return { d, outcome: 'failed', patch: { ...attemptFields(d, r), status: 'failed', nextAttemptAt: null, lastError: r.error } };
  }

  /** The current secret first, then the previous one while its overlap lasts. */
  private secretsOf(ep: WebhookEndpoint, now: Date): string[] {
    const secrets = [this.open(ep.secretSealed, ep.id)];
    if (ep.previousSecretSealed && ep.previousSecretExpiresAt && ep.previousSecretExpiresAt > now) {
      secrets.push(this.open(ep.previousSecretSealed, ep.id));
    }
    return secrets;
  }

  /** Decrypted secrets, kept in memory by their sealed form (a rotation seals a new one). */
  private open(sealed: string, endpointId: string): string {
    let plain = this.secrets.get(sealed);
    if (plain === undefined) {
      if (this.secrets.size > 10_000) this.secrets.clear();
      plain = this.box.open(sealed, endpointId);
      this.secrets.set(sealed, plain);
    }
    return plain;
  }

  /** Endpoint health, disabling, and retry jobs, once the outcomes are stored. */
  private async afterAttempts(done: Attempted[]): Promise<void> {
    const now = new Date();
    const endpoints = new Map(done.filter((a) => a.d.endpoint).map((a) => [a.d.endpointId, a.d.endpoint!]));
    for (const [id, ep] of endpoints) {
      const mine = done.filter((a) => a.d.endpointId === id && a.outcome !== 'cancelled');
      if (!mine.length) continue;
      if (mine.some((a) => a.patch.responseStatus === 410)) {
        await this.disable(ep, 'gone', 'receiver answered 410 Gone: endpoint disabled', now);
        continue;
      }
      const failed = mine.filter((a) => a.outcome !== 'succeeded');
      // Conditional update: a no-op unless the endpoint was failing (the cached copy may not know that yet).
      if (failed.length < mine.length) await this.endpoints.markHealthy(id);
      if (failed.length) await this.endpoints.markFailing(id, now);
      for (const a of failed.filter((x) => x.outcome === 'failed')) {
        if (await this.endpoints.recordExhaustedDelivery(id, now, this.config.webhooks.disableAfterFailures)) {
          await this.disable(ep, 'too_many_failures', 'endpoint disabled after too many failed deliveries', now);
          this.log.warn(`webhook endpoint ${id} disabled after ${this.config.webhooks.disableAfterFailures} failed deliveries in a row (last: ${a.patch.lastError})`);
          break;
        }
      }
    }
    for (const a of done) if (a.outcome === 'retrying') await this.enqueue(a.d.tenantId, [a.d.id], a.retryInMs);
  }

  private async disable(ep: WebhookEndpoint, reason: 'gone' | 'too_many_failures', message: string, now: Date): Promise<void> {
    if (reason === 'gone') await this.endpoints.disable(ep.id, reason, now);
    await this.deliveries.cancelOpen(ep.id, message);
    this.cache.invalidate(ep.tenantId);
    if (reason === 'gone') this.log.warn(`webhook endpoint ${ep.id} disabled: 410 Gone`);
  }

  /**
   * Periodic safety net (every minute): gives a new job to open deliveries whose job is overdue (lost with a
   * restarted in-process queue or a failed enqueue) and to claims whose worker died, then purges old history.
   */
  async sweep(now = new Date()): Promise<{ requeued: number; purged: number }> {
    // Overdue by longer than a new batch's claim lasts: its job is lost, not just waiting in a backlog.
    const orphans = await this.deliveries.findOrphans(now, PRECLAIM_MS + this.config.webhooks.timeoutMs + 30_000, SWEEP_BATCH);
    await this.deliveries.touchDue(orphans.map((o) => o.id), now);
    await this.batcher.enqueue(orphans);
    const purged = await this.deliveries.purgeFinished(new Date(now.getTime() - RETENTION_MS), SWEEP_BATCH);
    if (orphans.length) this.log.log(`requeued ${orphans.length} webhook deliveries without a job`);
    return { requeued: orphans.length, purged };
  }
}

function attemptFields(d: ClaimedDelivery, r: SendResult): Partial<WebhookDelivery> {
  return { attempts: d.attempts + 1, lastAttemptAt: new Date(), responseStatus: r.status, responseTimeMs: r.timeMs, lockedUntil: null, claimToken: null };
}
