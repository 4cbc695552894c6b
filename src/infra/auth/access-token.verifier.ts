import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppError, ErrorCode } from '../../shared/app-error';
import type { AccessTokenClaims } from './jwt.strategy';
import { AuthPrincipal, ROLES } from './roles';

/** The principal an access token stands for, or null when it is not an access token of a known role. */
export function principalOf(claims: Partial<AccessTokenClaims>): AuthPrincipal | null {
  if (claims.typ !== 'access' || !claims.tenantId || !claims.sub || !claims.role || !ROLES.includes(claims.role)) return null;
  return { userId: claims.sub, tenantId: claims.tenantId, role: claims.role };
}

/** Verifies a bearer token outside an HTTP request (the stdio MCP server), with the API's secret and rules. */
@Injectable()
export class AccessTokenVerifier {
  constructor(private readonly jwt: JwtService) {}

  verify(token: string): AuthPrincipal {
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = this.jwt.verify<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch (e) {
      throw new AppError(ErrorCode.UNAUTHORIZED, `Authentication required: ${(e as Error).message}`);
    }
    const principal = principalOf(claims);
    if (!principal) throw new AppError(ErrorCode.UNAUTHORIZED, 'Authentication required: not an access token');
    return principal;
  }
}
