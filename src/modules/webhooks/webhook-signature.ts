import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

export const SIGNATURE_HEADER = 'X-CustomerIQ-Signature';
export const EVENT_ID_HEADER = 'X-CustomerIQ-Event-Id';

/** A new signing secret: 32 random bytes, prefixed so it is recognisable in a receiver's configuration. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Hex HMAC-SHA256 of "<t>.<body>". */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * X-CustomerIQ-Signature value: `t=<unix seconds>,v1=<hex>`; during a secret rotation one v1 per valid secret
 * (newest first), so receivers with either secret accept the call.
 */
export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signPayload(s, timestamp, body)}`)].join(',');
}

/**
 * What a receiver does (also used by the tests): parse the header, refuse old timestamps (replay), and compare
 * every v1 in constant time.
 */
export function verifySignature(secret: string, header: string, body: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signPayload(secret, t, body), 'hex');
  return parts
    .filter(([k, v]) => k === 'v1' && typeof v === 'string' && /^[0-9a-f]{64}$/.test(v))
    .some(([, v]) => timingSafeEqual(Buffer.from(v, 'hex'), expected));
}

/**
 * A stable event id for an event that may be published twice (a resumed campaign send): the same type and key
 * always give the same UUID, so the second publish is recognised as the same event.
 */
export function deterministicEventId(type: string, key: string): string {
  const h = createHash('sha256').update(`${type}\u0000${key}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50; // version 5 layout (name-based)
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
