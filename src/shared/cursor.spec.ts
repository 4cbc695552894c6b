import { AppError } from './app-error';
import { cursorDate, decodeCursor, decodeIdCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  it('round-trips a position', () => {
    const pos = { v: '2024-01-01T00:00:00.000Z', id: 'abc' };
    expect(decodeCursor(encodeCursor(pos))).toEqual(pos);
  });

  it('rejects a tampered cursor with a validation error naming the field', () => {
    expect(() => decodeCursor('not-a-cursor!!', 'cursor')).toThrow(AppError);
    try {
      decodeCursor(Buffer.from('{"v":{}}').toString('base64url'));
    } catch (e) {
      expect((e as AppError).status).toBe(400);
      expect((e as AppError).details).toEqual([{ field: 'cursor', message: 'is not a valid cursor' }]);
    }
  });
});

describe('cursor parts', () => {
  it('refuses a keyset cursor whose id is not a UUID', () => {
    expect(() => decodeIdCursor(encodeCursor({ v: 1, id: "x' OR 1=1" }))).toThrow(AppError);
    expect(decodeIdCursor(encodeCursor({ v: 1, id: '00000000-0000-4000-8000-000000000000' })).v).toBe(1);
  });

  it('refuses cursor dates that are invalid or outside years 1-9999', () => {
    expect(cursorDate('2026-01-01T00:00:00.000Z').toISOString()).toBe('2026-01-01T00:00:00.000Z');
    for (const v of ['not a date', '-271821-04-20T00:00:00.000Z', '+275760-09-13T00:00:00.000Z', null, {}]) {
      expect(() => cursorDate(v)).toThrow(AppError);
    }
  });
});
