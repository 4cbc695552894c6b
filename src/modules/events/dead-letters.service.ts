import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../../shared/app-error';
import { decodeCursor, encodeCursor, Page } from '../../shared/cursor';
import { DeadLettersRepository } from './dead-letters.repository';
import { ListDeadLettersQueryDto } from './dto/dead-letter.dto';
import { DeadLetter } from './entities/dead-letter.entity';
import { EventIngestService } from './ingest/event-ingest.service';
import { EventOutcome } from './ingest/ingest.types';

/** Dead letters of a tenant: look at them, replay them once the cause is fixed, or delete them. */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly repo: DeadLettersRepository,
    private readonly ingest: EventIngestService,
  ) {}

  async list(tenantId: string, q: ListDeadLettersQueryDto): Promise<Page<DeadLetter>> {
    const limit = q.limit ?? 20;
    const pos = q.cursor ? decodeCursor(q.cursor) : null;
    const rows = await this.repo.list(tenantId, { status: q.status, before: pos ? { at: new Date(String(pos.v)), id: pos.id } : null, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { data: page, page: { limit, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.createdAt.toISOString(), id: last.id }) : null } };
  }

  async get(tenantId: string, id: string): Promise<DeadLetter> {
    const d = await this.repo.findById(tenantId, id);
    if (!d) throw AppError.notFound(ErrorCode.DEAD_LETTER_NOT_FOUND, 'Dead letter', id);
    return d;
  }

  /**
   * Runs the message through ingestion again. Accepted (or already stored) -> status replayed; rejected again ->
   * the new reason is kept and attempts grows. A replayed event keeps its identity, so replaying twice is harmless.
   */
  async replay(tenantId: string, id: string): Promise<{ outcome: EventOutcome; deadLetter: DeadLetter }> {
    const dl = await this.get(tenantId, id);
    const outcome = await this.ingest.replay(dl);
    if (outcome.status === 'failed') throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, `The event could not be stored; retry: ${outcome.error}`);
    if (outcome.status === 'rejected') {
      await this.repo.update(dl.id, { reason: `[${outcome.error.code}] ${outcome.error.message}`.slice(0, 2000), attempts: dl.attempts + 1 });
    } else {
      await this.repo.update(dl.id, { status: 'replayed', replayedEventId: outcome.eventId, replayedAt: new Date(), attempts: dl.attempts + 1 });
    }
    return { outcome, deadLetter: await this.get(tenantId, id) };
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.repo.delete(tenantId, id))) throw AppError.notFound(ErrorCode.DEAD_LETTER_NOT_FOUND, 'Dead letter', id);
  }
}
