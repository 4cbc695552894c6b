import { AppError } from './app-error';
import { decodeCursor, encodeCursor } from './cursor';

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
