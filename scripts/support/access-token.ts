import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims } from '../../src/infra/auth';
import { Role, ROLES } from '../../src/infra/auth/roles';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const MAX_TTL_SECONDS = 366 * 86400;

/** '30d', '12h', '15m', '90s' or plain seconds -> seconds. Throws a readable error otherwise. */
export function parseTtl(raw: string): number {
  const m = /^(\d+)([smhd]?)$/.exec(raw.trim());
  if (!m) throw new Error(`Invalid --ttl "${raw}": use a number with s, m, h or d (e.g. 30d, 12h, 900s)`);
  const seconds = Number(m[1]) * UNITS[m[2] || 's'];
  if (seconds < 60 || seconds > MAX_TTL_SECONDS) throw new Error(`Invalid --ttl "${raw}": must be between 60s and 366d`);
  return seconds;
}

export function parseRole(raw: string): Role {
  if (!(ROLES as readonly string[]).includes(raw)) throw new Error(`Invalid --role "${raw}": use one of ${ROLES.join(', ')}`);
  return raw as Role;
}

/** Signs an access token exactly as the API's TokenService does (HS256, typ 'access'). */
export function signAccessToken(secret: string, claims: Omit<AccessTokenClaims, 'typ'>, ttlSeconds: number): string {
  const full: AccessTokenClaims = { ...claims, typ: 'access' };
  return new JwtService({ secret, signOptions: { algorithm: 'HS256' } }).sign(full, { expiresIn: ttlSeconds });
}
