import { ExecutionContext, Injectable } from '@nestjs/common';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerException, ThrottlerGuard, ThrottlerLimitDetail, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import type { AuthPrincipal } from '../auth/roles';
import { CachedReflector } from './cached-reflector';

/**
 * Limits per tenant and client IP. Runs after authentication, so the tenant comes from a verified token.
 * A 429 carries the same X-RateLimit-* headers as a normal answer, plus Retry-After.
 */
@Injectable()
export class TenantThrottlerGuard extends ThrottlerGuard {
  // CachedReflector: the guard reads six metadata keys per throttler on every request.
  constructor(@InjectThrottlerOptions() options: ThrottlerModuleOptions, @InjectThrottlerStorage() storage: ThrottlerStorage, reflector: CachedReflector) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const user = req.user as AuthPrincipal | undefined;
    return `${user?.tenantId ?? 'anonymous'}:${String(req.ip)}`;
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const reset = Math.max(1, Math.ceil(detail.timeToExpire));
    void reply.header('X-RateLimit-Limit', detail.limit);
    void reply.header('X-RateLimit-Remaining', 0);
    void reply.header('X-RateLimit-Reset', reset);
    void reply.header('Retry-After', Math.max(1, Math.ceil(detail.isBlocked ? detail.timeToBlockExpire : detail.timeToExpire)));
    throw new ThrottlerException('Too many requests');
  }
}
