import { Injectable } from '@nestjs/common';
import { DomainEventBus } from '../../infra/domain-events';
import { EntityManager } from 'typeorm';
import { AuthPrincipal } from '../../infra/auth/roles';
import { TransactionRunner } from '../../infra/database';
import { AppError, ErrorCode } from '../../shared/app-error';
import { cursorDate, decodeIdCursor, encodeCursor, Page } from '../../shared/cursor';
import { isUuid } from '../../shared/uuid';
import { CustomersService } from '../customers';
import { CreateNoteDto, ListNotesQueryDto, NOTE_BODY_MAX, UpdateNoteDto } from './dto/note.dto';
import { Note, NOTE_TYPES, NoteType } from './entities/note.entity';
import { NOTE_EVENTS, NoteCreatedEvent } from './note.events';
import { NotePosition, NotesRepository } from './notes.repository';

/** The author of a note written through the API: the user behind the token; machine tokens (sub 'machine') have none. */
export function authorIdOf(principal: AuthPrincipal): string | null {
  return isUuid(principal.userId) ? principal.userId : null;
}

/** What another module (events, support integrations) records about a customer. */
export interface NoteFromEvent {
  type: NoteType;
  body: string;
  /** What made the note, e.g. 'event:support.ticket_closed'. */
  source: string;
  pinned?: boolean;
  /** When it happened (the event's occurred_at); default now. */
  createdAt?: Date;
}

export interface ContextNotes {
  pinned: Note[];
  recent: Note[];
}

function cursorOf(n: Note): string {
  return encodeCursor({ v: `${n.pinned ? 1 : 0}|${n.createdAt.toISOString()}`, id: n.id });
}

function positionOf(cursor: string): NotePosition {
  const pos = decodeIdCursor(cursor);
  const m = typeof pos.v === 'string' ? /^([01])\|(.+)$/.exec(pos.v) : null;
  if (!m) throw AppError.validation('cursor', 'is not a valid cursor');
  return { pinned: m[1] === '1', createdAt: cursorDate(m[2]), id: pos.id };
}

/** Free-text notes on a customer: who wrote what, pinned ones first. */
@Injectable()
export class NotesService {
  constructor(
    private readonly repo: NotesRepository,
    private readonly customers: CustomersService,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEventBus,
  ) {}

  create(principal: AuthPrincipal, customerId: string, dto: CreateNoteDto): Promise<Note> {
    return this.insert(principal.tenantId, customerId, { type: dto.type, body: dto.body, pinned: dto.pinned ?? false, authorId: authorIdOf(principal), source: null });
  }

  /**
   * Adds a note on behalf of another module. Pass the EntityManager of an outer transaction to make the note part
   * of it; note.created is then emitted only after that transaction commits.
   */
  async addFromEvent(tenantId: string, customerId: string, input: NoteFromEvent, manager?: EntityManager): Promise<Note> {
    if (!NOTE_TYPES.includes(input.type)) throw AppError.validation('type', `must be one of ${NOTE_TYPES.join(', ')}`);
    if (!/\S/.test(input.body ?? '') || input.body.length > NOTE_BODY_MAX) {
      throw AppError.validation('body', `must be 1 to ${NOTE_BODY_MAX} characters and not blank`);
    }
    const source = (input.source ?? '').slice(0, 100) || null;
    return this.insert(tenantId, customerId, { type: input.type, body: input.body, pinned: input.pinned ?? false, authorId: null, source }, manager, input.createdAt);
  }

  /** Notes newest first before a (createdAt, id) position: the notes strand of a customer's timeline. */
  listBefore(tenantId: string, customerId: string, before: { at: Date; id: string } | null, limit: number): Promise<Note[]> {
    return this.repo.listBefore(tenantId, customerId, before, limit);
  }

  async list(tenantId: string, customerId: string, query: ListNotesQueryDto): Promise<Page<Note>> {
    await this.customers.assertExists(tenantId, customerId);
    const limit = query.limit ?? 20;
    const after = query.cursor ? positionOf(query.cursor) : undefined;
    const rows = await this.repo.page(tenantId, customerId, { types: query.type, after, limit });
    const data = rows.slice(0, limit);
    const last = data[data.length - 1];
    return { data, page: { limit, nextCursor: rows.length > limit && last ? cursorOf(last) : null } };
  }

  /** For a customer context view: every pinned note (up to `pinnedLimit`) and the newest unpinned ones. */
  async contextNotes(tenantId: string, customerId: string, opts: { recentLimit?: number; pinnedLimit?: number } = {}): Promise<ContextNotes> {
    const pinned = await this.repo.page(tenantId, customerId, { pinned: true, limit: opts.pinnedLimit ?? 20 });
    const recent = await this.repo.page(tenantId, customerId, { pinned: false, limit: opts.recentLimit ?? 5 });
    return { pinned: pinned.slice(0, opts.pinnedLimit ?? 20), recent: recent.slice(0, opts.recentLimit ?? 5) };
  }

  async get(tenantId: string, customerId: string, id: string, manager?: EntityManager): Promise<Note> {
    await this.customers.assertExists(tenantId, customerId, manager);
    const note = await this.repo.find(tenantId, customerId, id, manager);
    if (!note) throw AppError.notFound(ErrorCode.NOTE_NOT_FOUND, 'Note', id);
    return note;
  }

  update(tenantId: string, customerId: string, id: string, dto: UpdateNoteDto): Promise<Note> {
    return this.tx.run(async (m) => {
      const note = await this.get(tenantId, customerId, id, m);
      if (dto.type !== undefined) note.type = dto.type;
      if (dto.body !== undefined) note.body = dto.body;
      if (dto.pinned !== undefined) note.pinned = dto.pinned;
      // Set here rather than by the database so every driver keeps millisecond precision.
      note.updatedAt = new Date();
      return this.repo.save(note, m);
    });
  }

  async remove(tenantId: string, customerId: string, id: string): Promise<void> {
    await this.customers.assertExists(tenantId, customerId);
    if (!(await this.repo.delete(tenantId, customerId, id))) throw AppError.notFound(ErrorCode.NOTE_NOT_FOUND, 'Note', id);
  }

  private async insert(tenantId: string, customerId: string, fields: Pick<Note, 'type' | 'body' | 'pinned' | 'authorId' | 'source'>, outer?: EntityManager, at?: Date): Promise<Note> {
    const work = async (m: EntityManager) => {
      await this.customers.assertExists(tenantId, customerId, m);
      // Timestamps from the application: the database default has only second precision on SQLite, and
      // "newest first" with keyset pages needs a stable, precise order.
      const now = new Date();
      const note = await this.repo.insert({ tenantId, customerId, ...fields, createdAt: at ?? now, updatedAt: now }, m);
      this.tx.afterCommit(m, () => this.events.emit(NOTE_EVENTS.created, { tenantId, customerId, note } satisfies NoteCreatedEvent));
      return note;
    };
    return outer ? work(outer) : this.tx.run(work);
  }
}
