export { NotesModule } from './notes.module';
