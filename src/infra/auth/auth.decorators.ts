import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { AuthPrincipal, Role } from './roles';

export const IS_PUBLIC = 'ciq:isPublic';
export const MIN_ROLE = 'ciq:minRole';

/** No token needed. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The least role a route needs. Without it: reads need viewer, writes need agent. */
export const Roles = (min: Role): MethodDecorator & ClassDecorator => SetMetadata(MIN_ROLE, min);

/** The verified principal: userId, tenantId and role from the access token. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthPrincipal => {
  return ctx.switchToHttp().getRequest<{ user: AuthPrincipal }>().user;
});

/** The tenant from the access token; every query is scoped by it. */
export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  return ctx.switchToHttp().getRequest<{ user: AuthPrincipal }>().user.tenantId;
});
