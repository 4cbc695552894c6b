import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { connect, NatsConnection } from 'nats';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/**
 * Readiness probes with their own short-timeout connections: a BullMQ-style client
 * (maxRetriesPerRequest: null) would hang while Redis is down.
 */
@Injectable()
export class DependencyProbes implements OnModuleDestroy {
  private redisClient?: Redis;
  private natsConn?: Promise<NatsConnection>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly indicator: HealthIndicatorService,
  ) {}

  get hasRedis(): boolean {
    return !!this.config.redisUrl;
  }

  get hasNats(): boolean {
    return !!this.config.natsUrl;
  }

  async redis(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('redis');
    this.redisClient ??= new Redis(this.config.redisUrl!, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      enableOfflineQueue: false,
      retryStrategy: () => 1000,
    });
    try {
      if (this.redisClient.status === 'wait') await this.redisClient.connect();
      await withTimeout(this.redisClient.ping(), 1000);
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }

  async nats(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('nats');
    try {
      this.natsConn ??= connect({ servers: this.config.natsUrl!, timeout: 1000, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
      const nc = await withTimeout(this.natsConn, 1500);
      await withTimeout(nc.flush(), 1000);
      return check.up();
    } catch (e) {
      this.natsConn = undefined;
      return check.down({ message: (e as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.redisClient?.disconnect();
    const nc = await this.natsConn?.catch(() => undefined);
    await nc?.close().catch(() => undefined);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
