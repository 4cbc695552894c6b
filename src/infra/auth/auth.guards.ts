import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CachedReflector } from '../http/cached-reflector';
import { IS_PUBLIC, MIN_ROLE } from './auth.decorators';
import { AuthPrincipal, Role, roleAtLeast } from './roles';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Global: every route needs a valid access token (passport-jwt, JwtStrategy) unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: CachedReflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    return (await super.canActivate(context)) as boolean;
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
