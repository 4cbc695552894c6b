import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { AppError, ErrorCode } from '../../shared/app-error';
import { decodeCursor, encodeCursor, Page } from '../../shared/cursor';
import { IngestResponseDto, ListEventsQueryDto } from './dto/event.dto';
import { CustomerEvent } from './entities/customer-event.entity';
import { toIngestResponse } from './event.mapper';
import { EventsRepository } from './events.repository';
import { IdempotencyRepository } from './idempotency.repository';
import { EventIngestService } from './ingest/event-ingest.service';

export const MAX_EVENTS_PER_REQUEST = 1000;
/** A claimed Idempotency-Key whose request never finished (process died) may be taken over after this. */
const STALE_CLAIM_MS = 60_000;

/** REST ingestion (with Idempotency-Key) and reading stored events. */
@Injectable()
export class EventsService {
  constructor(
    private readonly ingest: EventIngestService,
    private readonly repo: EventsRepository,
    private readonly idempotency: IdempotencyRepository,
  ) {}

  /** One envelope or {events: [...]} (1..1000). With an Idempotency-Key the first answer is replayed for the same body. */
  async ingestRequest(tenantId: string, body: unknown, idempotencyKey?: string): Promise<IngestResponseDto> {
    const envelopes = envelopesOf(body);
    if (idempotencyKey === undefined) return toIngestResponse(await this.ingest.ingestEnvelopes(tenantId, envelopes));
    const key = idempotencyKey.trim();
    if (!key || key.length > 200) throw AppError.validation('Idempotency-Key', 'must be 1-200 characters');
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    for (let attempt = 0; ; attempt++) {
      const { row, claimed } = await this.idempotency.claim(tenantId, key, hash);
      if (!claimed) {
        if (row.requestHash !== hash) {
          throw new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was already used with a different request body', { idempotencyKey: key });
        }
        if (row.statusCode !== null) return row.response as IngestResponseDto;
        if (attempt === 0 && Date.now() - new Date(row.createdAt).getTime() > STALE_CLAIM_MS) {
          await this.idempotency.release(row.id);
          continue;
        }
        throw new AppError(ErrorCode.CONFLICT, 'A request with this Idempotency-Key is still being processed; retry shortly', { idempotencyKey: key });
      }
      try {
        const response = toIngestResponse(await this.ingest.ingestEnvelopes(tenantId, envelopes));
        await this.idempotency.complete(row.id, 202, response);
        return response;
      } catch (e) {
        await this.idempotency.release(row.id);
        throw e;
      }
    }
  }

  async list(tenantId: string, q: ListEventsQueryDto): Promise<Page<CustomerEvent>> {
    const limit = q.limit ?? 20;
    const pos = q.cursor ? decodeCursor(q.cursor) : null;
    const rows = await this.repo.list(tenantId, {
      customerId: q.customerId, types: q.type, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined,
      before: pos ? { at: new Date(String(pos.v)), id: pos.id } : null, limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page, page: { limit, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.occurredAt.toISOString(), id: last.id }) : null } };
  }

  async get(tenantId: string, id: string): Promise<CustomerEvent> {
    const e = await this.repo.findById(tenantId, id);
    if (!e) throw AppError.notFound(ErrorCode.EVENT_NOT_FOUND, 'Event', id);
    return e;
  }
}

function envelopesOf(body: unknown): unknown[] {
  if (Array.isArray(body)) throw AppError.validation('body', 'must be one event envelope or {"events": [...]}');
  if (typeof body !== 'object' || body === null) throw AppError.validation('body', 'must be a JSON object');
  if (!('events' in body)) return [body];
  const extra = Object.keys(body).filter((k) => k !== 'events');
  if (extra.length) throw AppError.validation(extra[0], 'is not an allowed field next to events');
  const events = (body as { events: unknown }).events;
  if (!Array.isArray(events) || events.length === 0) throw AppError.validation('events', 'must be a non-empty array');
  if (events.length > MAX_EVENTS_PER_REQUEST) throw AppError.validation('events', `must contain at most ${MAX_EVENTS_PER_REQUEST} events (got ${events.length})`);
  return events;
}
