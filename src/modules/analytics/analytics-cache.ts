import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'crypto';
import Redis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/**
 * Analytics answers cached in Redis for ANALYTICS_CACHE_SECONDS (default 60) per tenant, query and parameters when REDIS_URL is set; without Redis
 * (embedded mode) every request computes. A Redis failure never fails the request: it is computed instead.
 */
@Injectable()
export class AnalyticsCache implements OnApplicationShutdown {
  private readonly log = new Logger(AnalyticsCache.name);
  private readonly redis: Redis | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    // Its own connection with a short timeout: the BullMQ one waits forever by design.
    this.redis = config.redisUrl && config.analyticsCacheSeconds > 0 ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 500, lazyConnect: true }) : null;
  }

  async getOrCompute<T>(tenantId: string, name: string, params: object, compute: () => Promise<T>): Promise<{ value: T; cached: boolean }> {
    if (!this.redis) return { value: await compute(), cached: false };
    const digest = createHash('sha1').update(JSON.stringify(params)).digest('hex').slice(0, 16);
    const key = `${this.config.queuePrefix}:analytics:${tenantId}:${name}:${digest}`;
    try {
      const hit = await this.redis.get(key);
      if (hit !== null) return { value: JSON.parse(hit) as T, cached: true };
    } catch (e) {
      this.log.warn(`analytics cache read failed: ${String(e)}`);
    }
    const value = await compute();
    try {
      await this.redis.set(key, JSON.stringify(value), 'EX', this.config.analyticsCacheSeconds);
    } catch (e) {
      this.log.warn(`analytics cache write failed: ${String(e)}`);
    }
    return { value, cached: false };
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
