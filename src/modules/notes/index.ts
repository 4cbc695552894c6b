export { NotesModule } from './notes.module';
export { NotesService } from './notes.service';
export type { NoteFromEventInput } from './notes.service';
export { NOTE_TYPES } from './entities/note.entity';
export type { Note, NoteType } from './entities/note.entity';
