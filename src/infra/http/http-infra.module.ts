import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ExecutionContext, Global, Module, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

export const LOGIN_THROTTLE = 'ciq:loginThrottle';
/** Marks a route that takes credentials: it gets the stricter per-IP login limit. */
export const LoginThrottle = (): MethodDecorator => SetMetadata(LOGIN_THROTTLE, true);

const reflector = new Reflector();

@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // No routes: the request lines are written by registerRequestLog (fastify hooks, see createApp), which is
        // cheaper than pino-http as a Nest middleware. This module gives the app logger (app.useLogger) and the
        // request-scoped PinoLogger.
        forRoutes: [],
        pinoHttp: [{
          level: config.logLevel,
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          // The serializers above never copy headers, so the bearer token cannot reach a log line (no redact pass).
          // Asynchronous writes: lines logged while a write is in flight go out together in one syscall instead of
          // one blocking write per request. pino flushes synchronously on exit; a kill -9 can lose the last lines.
        }, pino.destination({ dest: config.logDestination === 'stderr' ? 2 : 1, sync: false })],
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          { name: 'default', ttl: 60_000, limit: config.rateLimit.perMinute },
          {
            name: 'login',
            ttl: 60_000,
            limit: config.rateLimit.loginPerMinute,
            skipIf: (ctx: ExecutionContext) => !reflector.get<boolean>(LOGIN_THROTTLE, ctx.getHandler()),
          },
        ],
        storage: config.redisUrl ? new ThrottlerStorageRedisService(config.redisUrl) : new FixedWindowThrottlerStorage(),
      }),
    }),
  ],
})
export class HttpInfraModule {}
