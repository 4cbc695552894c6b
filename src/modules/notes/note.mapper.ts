import { NoteDto } from './dto/note.dto';
import { Note } from './entities/note.entity';

export function toNoteDto(n: Note): NoteDto {
  return {
    id: n.id,
    customerId: n.customerId,
    type: n.type,
    body: n.body,
    pinned: !!n.pinned,
    authorId: n.authorId,
    source: n.source,
    createdAt: n.createdAt,
    updatedAt: n.updatedAt,
  };
}
