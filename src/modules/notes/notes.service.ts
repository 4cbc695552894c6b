import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { Note, NoteType } from './entities/note.entity';
import { NotesRepository } from './notes.repository';

export interface NoteFromEventInput {
  tenantId: string;
  customerId: string;
  type: NoteType;
  body: string;
  source: string | null;
  /** When the observation was made (the event's occurred_at). */
  createdAt: Date;
}

/** Notes about a customer. (Minimal surface used by the events module: add from an event, list for context/timeline.) */
@Injectable()
export class NotesService {
  constructor(private readonly repo: NotesRepository) {}

  /** A note written by an event (no author), inside the caller's transaction. */
  async addFromEvent(input: NoteFromEventInput, manager?: EntityManager): Promise<string> {
    const id = randomUUID();
    await this.repo.insert({ id, ...input, pinned: false, authorId: null, updatedAt: input.createdAt }, manager);
    return id;
  }

  /** Pinned notes and the most recent others, for the customer context. */
  async listForContext(tenantId: string, customerId: string, recent = 5): Promise<{ pinned: Note[]; recent: Note[] }> {
    const [pinned, latest] = await Promise.all([
      this.repo.list(tenantId, customerId, { pinned: true, limit: 20 }),
      this.repo.list(tenantId, customerId, { pinned: false, limit: recent }),
    ]);
    return { pinned, recent: latest };
  }

  /** A page of notes newest first, after a timeline cursor position. */
  listBefore(tenantId: string, customerId: string, before: { at: Date; id: string } | null, limit: number): Promise<Note[]> {
    return this.repo.listBefore(tenantId, customerId, before, limit);
  }
}
