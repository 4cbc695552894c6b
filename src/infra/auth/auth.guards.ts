import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CachedReflector } from '../http/cached-reflector';
import { AccessTokenClaims, AccessTokenVerifier, principalOf } from './access-token.verifier';
import { IS_PUBLIC, MIN_ROLE } from './auth.decorators';
import { AuthPrincipal, Role, roleAtLeast } from './roles';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// How passport-jwt's fromAuthHeaderAsBearerToken() read the Authorization header (scheme compared case-insensitively).
const SCHEME_AND_TOKEN = /(\S+)\s+(\S+)/;

const unauthorized = (reason: string) => new AppError(ErrorCode.UNAUTHORIZED, `Authentication required: ${reason}`);

/**
 * Global: every route needs a valid access token unless marked @Public(); the principal goes to request.user.
 * Verifies the token directly (the checks and messages passport-jwt gave): passport built a strategy object, its
 * callbacks and two promises per request around the same jsonwebtoken call.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: CachedReflector,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<{ headers: { authorization?: unknown }; user?: AuthPrincipal }>();
    req.user = this.authenticate(req.headers.authorization);
    return true;
  }

  private authenticate(header: unknown): AuthPrincipal {
    const bearer = typeof header === 'string' ? SCHEME_AND_TOKEN.exec(header) : null;
    if (!bearer || bearer[1].toLowerCase() !== 'bearer') throw unauthorized('No auth token');
    let claims: Partial<AccessTokenClaims>;
    try {
      claims = this.tokens.claimsOf(bearer[2]);
    } catch (e) {
      throw unauthorized((e as Error).message);
    }
    const principal = principalOf(claims);
    if (!principal) throw unauthorized('missing or invalid token');
    return principal;
  }
}

/** Global: the role in the token must reach the route's @Roles(); default viewer for reads, agent for writes. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: CachedReflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<{ method: string; user?: AuthPrincipal }>();
    const required: Role =
      this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? (READ_METHODS.has(req.method) ? 'viewer' : 'agent');
    if (!req.user || !roleAtLeast(req.user.role, required)) {
      throw new AppError(ErrorCode.FORBIDDEN, `This action needs the ${required} role or higher`, { required });
    }
    return true;
  }
}
