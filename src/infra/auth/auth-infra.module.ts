import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CachedReflector } from '../http/cached-reflector';
import { TenantThrottlerGuard } from '../http/throttler.guard';
import { AccessTokenVerifier } from './access-token.verifier';
import { JwtAuthGuard, RolesGuard } from './auth.guards';
import { JwtStrategy } from './jwt.strategy';

/** Guards run in this order: authenticate, authorise by role, then rate-limit per tenant and IP. */
@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwt.secret, signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [
    JwtStrategy,
    AccessTokenVerifier,
    CachedReflector,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
    { provide: APP_GUARD, useClass: TenantThrottlerGuard },
  ],
  exports: [JwtModule, AccessTokenVerifier],
})
export class AuthInfraModule {}
