export * from './auth.decorators';
export * from './roles';
export * from './auth-infra.module';
export type { AccessTokenClaims } from './jwt.strategy';
