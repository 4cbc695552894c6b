export { NotesModule } from './notes.module';
export { NotesService, authorIdOf } from './notes.service';
export type { NoteFromEvent, ContextNotes } from './notes.service';
export { NOTE_EVENTS } from './note.events';
export type { NoteCreatedEvent } from './note.events';
export { toNoteDto } from './note.mapper';
export { NoteDto, CreateNoteDto } from './dto/note.dto';
export { NOTE_TYPES } from './entities/note.entity';
export type { Note, NoteType } from './entities/note.entity';
