import { randomBytes } from 'crypto';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret without keeping the plaintext visible', () => {
    const sealed = box.seal('{"clientSecret":"s3cr3t"}', 'row-1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('s3cr3t');
    expect(box.open(sealed, 'row-1')).toBe('{"clientSecret":"s3cr3t"}');
  });

  it('refuses a ciphertext moved to another row', () => {
    const sealed = box.seal('secret', 'row-1');
    expect(() => box.open(sealed, 'row-2')).toThrow();
  });

  it('refuses a tampered ciphertext and a different key', () => {
    const sealed = box.seal('secret', 'row-1');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] ^= 1;
    expect(() => box.open(`v1.${raw.toString('base64url')}`, 'row-1')).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'row-1')).toThrow();
  });
});
