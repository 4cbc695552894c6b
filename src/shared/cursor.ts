import { AppError } from './app-error';
import { isUuid } from './uuid';

/** Opaque keyset cursor: the last row's sort value and id, base64url-encoded JSON. */
export interface CursorPosition {
  v: string | number | null;
  id: string;
}

export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify(pos)).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'cursor'): CursorPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPosition;
    if (typeof parsed !== 'object' || parsed === null || typeof parsed.id !== 'string') throw new Error('shape');
    if (!(parsed.v === null || typeof parsed.v === 'string' || typeof parsed.v === 'number')) throw new Error('shape');
    return parsed;
  } catch {
    throw AppError.validation(field, 'is not a valid cursor');
  }
}

/** A keyset cursor whose tie-breaker is a row id: the id must be a UUID, or Postgres refuses the comparison. */
export function decodeIdCursor(cursor: string, field = 'cursor'): CursorPosition {
  const pos = decodeCursor(cursor, field);
  if (!isUuid(pos.id)) throw AppError.validation(field, 'is not a valid cursor');
  return pos;
}

const MIN_CURSOR_TIME = Date.UTC(1, 0, 1);
const MAX_CURSOR_TIME = Date.UTC(9999, 11, 31);

/** A timestamp taken from a cursor; refused outside years 1-9999, which not every database can compare. */
export function cursorDate(value: unknown, field = 'cursor'): Date {
  const d = new Date(typeof value === 'string' || typeof value === 'number' ? value : NaN);
  const t = d.getTime();
  if (Number.isNaN(t) || t < MIN_CURSOR_TIME || t > MAX_CURSOR_TIME) throw AppError.validation(field, 'is not a valid cursor');
  return d;
}

export interface Page<T> {
  data: T[];
  page: { limit: number; nextCursor: string | null; total?: number };
}
