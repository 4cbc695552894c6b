import { AppError } from './app-error';

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

export interface Page<T> {
  data: T[];
  page: { limit: number; nextCursor: string | null; total?: number };
}
