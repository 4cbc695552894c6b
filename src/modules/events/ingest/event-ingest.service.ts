import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { APP_CONFIG, AppConfig } from '../../../config/app-config';
import { TransactionRunner } from '../../../infra/database';
import { DomainEventBus } from '../../../infra/domain-events';
import { IncomingMessage, MessageOutcome } from '../../../infra/messaging';
import { ErrorCode } from '../../../shared/app-error';
import { DeadLettersRepository, NewDeadLetter } from '../dead-letters.repository';
import { DeadLetter } from '../entities/dead-letter.entity';
import { EventBatchWriter } from './event-batch.writer';
import { parseEnvelope, Rejection, rejection } from './event-envelope';
import { decodeNatsMessage, encodePayload } from './nats-decoder';
import { EventOutcome, WriteItem, WriteResult } from './ingest.types';
import { TenantDirectory } from './tenant-directory';

type DeadLetterRow = NewDeadLetter & { id: string };

const RETRYABLE = new Set(['40P01', '40001', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function describe(r: Rejection): string {
  return `[${r.code}] ${r.message}`;
}

function deadLetterOf(m: IncomingMessage, tenantId: string | null, reason: string): DeadLetterRow {
  const { payload, encoding } = encodePayload(m.data);
  return {
    id: randomUUID(), tenantId, messageKey: `${m.stream}:${m.streamSeq}`, subject: m.subject, headers: m.headers, payload,
    payloadEncoding: encoding, reason, attempts: m.deliveryCount,
  };
}

/**
 * Turns messages (NATS), envelopes (REST) and dead letters (replay) into stored events. A batch's event rows and
 * effects commit in one transaction together with the dead letters of its rejected messages (customers seen for
 * the first time are created just before, idempotently, in a short transaction of their own). A failed batch is
 * retried (deadlocks), then written one event per transaction so one bad event cannot hold the others back.
 * Domain events (and through their listeners the follow-up jobs) go out only after commit. Every input ends as an event, a duplicate, a
 * rejection/dead letter, or a 'failed' the sender retries.
 */
@Injectable()
export class EventIngestService {
  private readonly log = new Logger('EventIngest');
  private serial: Promise<unknown> = Promise.resolve();
  /** Counters for logs, tests and the ingest benchmark. */
  readonly stats = { accepted: 0, duplicates: 0, rejected: 0, deadLettered: 0, failed: 0, transactions: 0, itemsCommitted: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionRunner,
    private readonly writer: EventBatchWriter,
    private readonly tenants: TenantDirectory,
    private readonly deadLetters: DeadLettersRepository,
    private readonly events: DomainEventBus,
  ) {}

  /** A batch from the stream: one outcome per message; 'ack' once its event or dead letter is committed. */
  async ingestMessages(msgs: IncomingMessage[]): Promise<MessageOutcome[]> {
    const now = new Date();
    const max = this.config.events.maxDeliveries;
    const items: WriteItem[] = [];
    const itemMsg: IncomingMessage[] = [];
    const early: DeadLetterRow[] = [];
    const cfg = { subjectPrefix: this.config.nats.subjectPrefix, defaultTenant: this.config.nats.defaultTenant };
    const decodedAll = msgs.map((m) => decodeNatsMessage(m, cfg, now));
    // One lookup per tenant named in the batch, not an await per message.
    const tenantOf = await this.tenants.resolveAll(decodedAll.map((d) => d.tenantRef));
    for (let k = 0; k < msgs.length; k++) {
      const m = msgs[k];
      const decoded = decodedAll[k];
      const tenant = decoded.tenantRef ? tenantOf.get(decoded.tenantRef)! : null;
      if (m.deliveryCount > max) early.push(deadLetterOf(m, tenant?.id ?? null, `Delivered ${m.deliveryCount} times without completing (limit ${max})`));
      else if ('rejection' in decoded) early.push(deadLetterOf(m, tenant?.id ?? null, describe(decoded.rejection)));
      else if (!tenant) early.push(deadLetterOf(m, null, `[${ErrorCode.TENANT_NOT_FOUND}] Unknown tenant ${decoded.tenantRef}`));
      else {
        items.push({ tenant, key: decoded.draft.key!, draft: decoded.draft, transport: 'nats', subject: m.subject });
        itemMsg.push(m);
      }
    }
    const dlFor = (k: number, r: Rejection) => deadLetterOf(itemMsg[k], items[k].tenant.id, describe(r));
    const { outcomes, earlyWritten } = await this.process(items, early, dlFor);
    const outcomeOf = new Map<IncomingMessage, EventOutcome>(itemMsg.map((m, k) => [m, outcomes[k]]));
    const result: MessageOutcome[] = [];
    for (const m of msgs) {
      const o = outcomeOf.get(m);
      if (!o) result.push(earlyWritten ? { action: 'ack' } : { action: 'retry', error: 'dead letter not stored' });
      else if (o.status !== 'failed') result.push({ action: 'ack' });
      else result.push(await this.failedDelivery(m, o.error, items[itemMsg.indexOf(m)].tenant.id));
    }
    this.stats.deadLettered += (earlyWritten ? early.length : 0) + outcomes.filter((o) => o.status === 'rejected').length;
    return result;
  }

  /** POST /events: envelopes of one tenant, one outcome each, in order. */
  async ingestEnvelopes(tenantId: string, envelopes: unknown[]): Promise<EventOutcome[]> {
    const tenant = await this.tenants.resolve(tenantId);
    const now = new Date();
    const out = new Array<EventOutcome>(envelopes.length);
    const items: WriteItem[] = [];
    const at: number[] = [];
    envelopes.forEach((raw, i) => {
      const r = parseEnvelope(raw, { now });
      if ('rejection' in r) out[i] = { status: 'rejected', error: r.rejection };
      else if (!tenant) out[i] = { status: 'rejected', error: rejection(ErrorCode.TENANT_NOT_FOUND, `Unknown tenant ${tenantId}`) };
      else {
        items.push({ tenant, key: r.draft.key ?? `rest:${randomUUID()}`, draft: r.draft, transport: 'rest', subject: null });
        at.push(i);
      }
    });
    const { outcomes } = await this.process(items, []);
    outcomes.forEach((o, k) => (out[at[k]] = o));
    this.stats.rejected += out.filter((o) => o.status === 'rejected').length;
    return out;
  }

  /** Runs a dead letter's message through ingestion again for its tenant (same identity, so replays are idempotent). */
  async replay(dl: DeadLetter): Promise<EventOutcome> {
    const sep = dl.messageKey.lastIndexOf(':');
    const data = dl.payloadEncoding === 'base64' ? Buffer.from(dl.payload, 'base64') : Buffer.from(dl.payload, 'utf8');
    const msg: IncomingMessage = {
      subject: dl.subject ?? '', data, headers: dl.headers, msgId: dl.headers?.['Nats-Msg-Id']?.[0] ?? null,
      stream: dl.messageKey.slice(0, sep), streamSeq: Number(dl.messageKey.slice(sep + 1)), deliveryCount: 1,
    };
    const decoded = decodeNatsMessage(msg, { subjectPrefix: this.config.nats.subjectPrefix, defaultTenant: dl.tenantId! }, new Date());
    if ('rejection' in decoded) return { status: 'rejected', error: decoded.rejection };
    const tenant = await this.tenants.resolve(dl.tenantId!);
    if (!tenant) return { status: 'rejected', error: rejection(ErrorCode.TENANT_NOT_FOUND, `Unknown tenant ${dl.tenantId}`) };
    const { outcomes } = await this.process([{ tenant, key: decoded.draft.key!, draft: decoded.draft, transport: 'replay', subject: dl.subject }], []);
    return outcomes[0];
  }

  /** A message that could not be stored: retried with backoff, dead-lettered on its last allowed delivery. */
  private async failedDelivery(m: IncomingMessage, error: string, tenantId: string): Promise<MessageOutcome> {
    this.stats.failed++;
    if (m.deliveryCount < this.config.events.maxDeliveries) return { action: 'retry', error };
    try {
      await this.unit([], [deadLetterOf(m, tenantId, `Failed ${m.deliveryCount} deliveries (limit ${this.config.events.maxDeliveries}); last error: ${error}`)]);
      this.stats.deadLettered++;
      return { action: 'ack' };
    } catch (e) {
      return { action: 'retry', error: (e as Error).message };
    }
  }

  private async process(items: WriteItem[], early: DeadLetterRow[], dlFor?: (k: number, r: Rejection) => DeadLetterRow): Promise<{ outcomes: EventOutcome[]; earlyWritten: boolean }> {
    try {
      return { outcomes: (await this.unit(items, early, dlFor)).outcomes, earlyWritten: true };
    } catch (e) {
      if (items.length + early.length <= 1) {
        this.log.error(`event not stored: ${(e as Error).message}`);
        return { outcomes: items.map(() => ({ status: 'failed', error: (e as Error).message })), earlyWritten: false };
      }
      this.log.warn(`batch of ${items.length} failed (${(e as Error).message}); writing one event per transaction`);
    }
    const outcomes: EventOutcome[] = [];
    for (let k = 0; k < items.length; k++) {
      try {
        outcomes.push((await this.unit([items[k]], [], dlFor && ((_j, r) => dlFor(k, r)))).outcomes[0]);
      } catch (e) {
        this.log.error(`event ${items[k].key} not stored: ${(e as Error).message}`);
        outcomes.push({ status: 'failed', error: (e as Error).message });
      }
    }
    let earlyWritten = true;
    if (early.length) await this.unit([], early).catch(() => (earlyWritten = false));
    return { outcomes, earlyWritten };
  }

  /** One transaction: the events, then the dead letters of what was rejected; side effects after commit. */
  private async unit(items: WriteItem[], early: DeadLetterRow[], dlFor?: (k: number, r: Rejection) => DeadLetterRow): Promise<WriteResult> {
    const prepared = await this.exclusive(() => this.withRetry(() => this.writer.prepare(items)));
    this.events.publish(prepared.domainEvents);
    const { result, deadLetters } = await this.exclusive(() =>
      this.withRetry(() =>
        this.tx.run(async (m) => {
          const r = await this.writer.write(prepared, m);
          const rows = [...early, ...(dlFor ? r.outcomes.flatMap((o, k) => (o.status === 'rejected' ? [dlFor(k, o.error)] : [])) : [])];
          await this.deadLetters.insertMany(rows, m);
          return { result: r, deadLetters: rows };
        }),
      ),
    );
    for (const d of deadLetters) this.log.warn(`dead letter ${d.messageKey} (${d.subject}${d.tenantId ? '' : '; no tenant'}): ${d.reason}`);
    this.stats.transactions++;
    this.stats.itemsCommitted += items.length + early.length;
    for (const o of result.outcomes) {
      if (o.status === 'accepted') this.stats.accepted++;
      else if (o.status === 'duplicate') this.stats.duplicates++;
    }
    await this.afterCommit(result);
    return result;
  }

  /**
   * The listeners of the batch's domain events enqueue its follow-up jobs (purchase metrics, loyalty, health,
   * segments) and webhook deliveries; the messages are acked only once those are queued.
   */
  private async afterCommit(r: WriteResult): Promise<void> {
    await this.events.publishAsync(r.domainEvents);
  }

  /** Deadlocks and serialization failures between concurrent batches are retried a few times. */
  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (e) {
        const err = e as { code?: string; driverError?: { code?: string } };
        const code = err.driverError?.code ?? err.code;
        if (attempt >= 4 || !code || !RETRYABLE.has(code)) throw e;
        await sleep(20 * attempt + Math.random() * 30);
      }
    }
  }

  /** SQLite has one writer and TypeORM one shared connection for it: its transactions run one at a time. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.tx.driver !== 'sqlite') return work();
    const run = this.serial.then(work, work);
    this.serial = run.catch(() => undefined);
    return run;
  }
}
