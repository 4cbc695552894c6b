export * from './auth.decorators';
export * from './roles';
export * from './auth-infra.module';
export { AccessTokenVerifier } from './access-token.verifier';
export type { AccessTokenClaims } from './jwt.strategy';
