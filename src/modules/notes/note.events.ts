import type { Note } from './entities/note.entity';

/** In-process domain events (@nestjs/event-emitter) the notes module emits after a change commits. */
export const NOTE_EVENTS = {
  created: 'note.created',
} as const;

export interface NoteCreatedEvent {
  tenantId: string;
  customerId: string;
  note: Note;
}
