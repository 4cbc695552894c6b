import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CachedReflector } from '../http/cached-reflector';
import { IS_PUBLIC, MIN_ROLE } from './auth.decorators';
import { AuthPrincipal, Role, roleAtLeast } from './roles';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** How many verified access tokens are remembered, and for how long at most (never past the token's exp). */
const VERIFIED_TOKENS = 10_000;
const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;
const BEARER = /^bearer\s+(\S+)$/i;

/**
 * Global: every route needs a valid access token (passport-jwt, JwtStrategy) unless marked @Public().
 * A client sends the same token with every request until it expires; the principal of a token passport verified
 * is remembered until its exp (5 min at most), so repeat requests skip the HMAC and JSON work. The token string
 * itself is the key: nothing but a byte-identical, already verified token can hit.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly verified = new Map<string, { principal: AuthPrincipal; until: number }>();

  constructor(private readonly reflector: CachedReflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; user?: AuthPrincipal }>();
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const known = token ? this.verified.get(token) : undefined;
    if (known && known.until > Date.now()) {
      req.user = { ...known.principal };
      return true;
    }
    if (known) this.verified.delete(token!);
    const ok = (await super.canActivate(context)) as boolean;
    if (ok && token && req.user) this.remember(token, req.user);
    return ok;
  }

  private remember(token: string, principal: AuthPrincipal): void {
    let exp: unknown;
    try {
      exp = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    } catch {
      return;
    }
    if (typeof exp !== 'number') return;
    if (this.verified.size >= VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal: { ...principal }, until: Math.min(exp * 1000, Date.now() + VERIFIED_TOKEN_TTL_MS) });
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err || !user) {
      const reason = info instanceof Error ? info.message : 'missing or invalid token';
      throw new AppError(ErrorCode.UNAUTHORIZED, `Authentication required: ${reason}`);
    }
    return user;
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
