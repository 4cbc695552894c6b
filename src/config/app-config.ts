import { randomBytes } from 'crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { EnvironmentVariables, validateEnvironment } from './environment';

export type DatabaseDriver = 'sqlite' | 'postgres' | 'mssql';

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  dataDir: string;
  database: { driver: DatabaseDriver; url: string; sqlitePath: string; migrateOnStart: boolean };
  redisUrl?: string;
  natsUrl?: string;
  /** BullMQ key prefix (tests use one each so parallel runs do not share queues). */
  queuePrefix: string;
  nats: { stream: string; durable: string; subjectPrefix: string; defaultTenant?: string };
  /** Event ingestion: messages per database transaction, batches in flight per instance, redelivery limits. */
  events: { batchSize: number; concurrency: number; ackWaitMs: number; maxDeliveries: number };
  jwt: { secret: string; secretGenerated: boolean; accessTtlSeconds: number; refreshTtlSeconds: number };
  logLevel: string;
  corsOrigins: string[] | true;
  rateLimit: { perMinute: number; loginPerMinute: number };
  /** Cron (UTC) of the repeatable job that recomputes every health score. */
  healthScoreCron: string;
  /** Cron (UTC) of the repeatable job that refreshes every segment's membership. */
  segmentsCron: string;
  /** POST /simulate/*: on by default in embedded mode (no REDIS_URL) outside production. */
  simulationEnabled: boolean;
  /** How long analytics answers stay in Redis (needs REDIS_URL; 0 = not cached). */
  analyticsCacheSeconds: number;
  webhooks: {
    /** Private, loopback and link-local targets allowed (WEBHOOK_ALLOW_PRIVATE); also applies to CRM URLs. */
    allowPrivate: boolean;
    /** https required for webhook and CRM URLs (production). */
    requireHttps: boolean;
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    disableAfterFailures: number;
    concurrency: number;
  };
  crm: { retryBaseMs: number };
  /** AES-256-GCM key for secrets at rest (CRM credentials, webhook signing secrets). */
  encryption: { key: Buffer; keyGenerated: boolean };
  /** Where pino writes: stdout, or stderr when stdout carries a protocol (the stdio MCP server). */
  logDestination: 'stdout' | 'stderr';
  /** Repeatable jobs (cron) are scheduled by this process; off in helper processes such as the stdio MCP server. */
  scheduleJobs: boolean;
  /**
   * In process: a tenant's customer batch job (metrics, health, loyalty after ingestion) starts at most once per this
   * many ms; requests meanwhile merge into the waiting job, so a customer with many events is recomputed once. 5 s:
   * under sustained load a 2 s window recomputed each busy customer 2.5 times as often (bench:ingest, 150k events:
   * Postgres 132-133 us of CPU per event with the follow-up jobs against 154-189 us).
   */
  jobs: { mergeWindowMs: number };
  mcp: { token?: string };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function databaseDriverOf(url: string | undefined): DatabaseDriver {
  if (!url || url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('mssql:')) return 'mssql';
  return 'postgres';
}

function sqlitePathOf(url: string | undefined, dataDir: string): string {
  if (!url) return join(dataDir, 'customeriq.db');
  const rest = url.replace(/^sqlite:(\/\/)?/, '');
  return rest === ':memory:' ? ':memory:' : resolve(rest);
}

/** Outside production a missing JWT_SECRET is generated once and kept under the data dir. */
function jwtSecretOf(env: EnvironmentVariables, dataDir: string): { secret: string; generated: boolean } {
  if (env.JWT_SECRET) return { secret: env.JWT_SECRET, generated: false };
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return { secret: readFileSync(file, 'utf8').trim(), generated: true };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return { secret, generated: true };
}

/** Outside production a missing CRM_ENCRYPTION_KEY is generated once and kept under the data dir, like JWT_SECRET. */
function encryptionKeyOf(env: EnvironmentVariables, dataDir: string): { key: Buffer; generated: boolean } {
  const parse = (s: string): Buffer => (/^[0-9a-fA-F]{64}$/.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64'));
  if (env.CRM_ENCRYPTION_KEY) return { key: parse(env.CRM_ENCRYPTION_KEY), generated: false };
  const file = join(dataDir, 'crm-encryption-key');
  if (existsSync(file)) return { key: parse(readFileSync(file, 'utf8').trim()), generated: true };
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return { key, generated: true };
}

export function buildAppConfig(raw: Record<string, string | undefined>): AppConfig {
  const env = validateEnvironment(raw);
  const dataDir = resolve(env.DATA_DIR ?? 'data');
  const driver = databaseDriverOf(env.DATABASE_URL);
  const jwt = jwtSecretOf(env, dataDir);
  const encryption = encryptionKeyOf(env, dataDir);
  const nodeEnv = (env.NODE_ENV as AppConfig['env']) ?? 'development';
  const cors = env.CORS_ORIGINS?.trim();
  return {
    env: nodeEnv,
    port: env.PORT ?? 3000,
    dataDir,
    database: {
      driver,
      url: env.DATABASE_URL ?? '',
      sqlitePath: sqlitePathOf(env.DATABASE_URL, dataDir),
      migrateOnStart: env.DATABASE_MIGRATE ?? true,
    },
    redisUrl: env.REDIS_URL,
    natsUrl: env.NATS_URL,
    queuePrefix: env.QUEUE_PREFIX ?? 'ciq',
    nats: {
      stream: env.NATS_STREAM ?? 'CUSTOMER_EVENTS',
      durable: env.NATS_DURABLE ?? 'customeriq-events',
      subjectPrefix: env.NATS_SUBJECT_PREFIX ?? 'customer.events',
      defaultTenant: env.DEFAULT_TENANT,
    },
    events: {
      // Postgres: 2000 events per transaction (bench:ingest, three interleaved pairs: 15.4-15.6k against 14.3-15.1k
      // events/s for 1000 x 4, and ~10% less Postgres CPU per event: half the statements and commits), three in flight
      // (five alternated pairs: 6.4-10.7k against 5.8-8.3k events/s for two; a batch waiting on the row locks of the
      // one before it no longer leaves the host idle).
      batchSize: env.EVENTS_BATCH_SIZE ?? (driver === 'postgres' ? 2000 : 1000),
      // SQLite has one writer: more batches in flight only queue behind it.
      concurrency: env.EVENTS_CONCURRENCY ?? (driver === 'postgres' ? 3 : 2),
      ackWaitMs: env.EVENTS_ACK_WAIT_MS ?? 30_000,
      maxDeliveries: env.EVENTS_MAX_DELIVERIES ?? 5,
    },
    // bench:ingest (5k customers, 50k events): 2000 ms brought the Postgres CPU per event of the batch jobs from
    // 92-95 back to 74-79 us (0 ms: every batch's customers recomputed again; before the batch jobs: 73-80 us).
    jobs: { mergeWindowMs: env.JOBS_MERGE_WINDOW_MS ?? 5000 },
    jwt: {
      secret: jwt.secret,
      secretGenerated: jwt.generated,
      accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS ?? 900,
      refreshTtlSeconds: env.JWT_REFRESH_TTL_SECONDS ?? 30 * 86400,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    corsOrigins: !cors || cors === '*' ? true : cors.split(',').map((s) => s.trim()),
    rateLimit: { perMinute: env.RATE_LIMIT_PER_MINUTE ?? 600, loginPerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE ?? 10 },
    healthScoreCron: env.HEALTH_SCORE_CRON?.trim() ?? '0 * * * *',
    segmentsCron: env.SEGMENTS_CRON?.trim() ?? '*/15 * * * *',
    simulationEnabled: env.SIMULATION_ENABLED ?? (env.NODE_ENV !== 'production' && !env.REDIS_URL),
    analyticsCacheSeconds: env.ANALYTICS_CACHE_SECONDS ?? 60,
    webhooks: {
      allowPrivate: env.WEBHOOK_ALLOW_PRIVATE ?? false,
      requireHttps: nodeEnv === 'production',
      timeoutMs: env.WEBHOOK_TIMEOUT_MS ?? 10_000,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS ?? 8,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS ?? 80_000,
      disableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES ?? 5,
      concurrency: env.WEBHOOK_CONCURRENCY ?? 16,
    },
    crm: { retryBaseMs: env.CRM_RETRY_BASE_MS ?? 500 },
    encryption: { key: encryption.key, keyGenerated: encryption.generated },
    logDestination: 'stdout',
    scheduleJobs: true,
    mcp: { token: env.CUSTOMERIQ_TOKEN },
  };
}

let cached: AppConfig | undefined;

/** The process-wide configuration, read from the environment once. */
export function loadAppConfig(): AppConfig {
  cached ??= buildAppConfig(process.env);
  return cached;
}

/** Fixes the configuration before the app is built (tests and scripts that assemble their own). */
export function useAppConfig(config: AppConfig): void {
  cached = config;
}

/** Driver chosen by DATABASE_URL; entity column types depend on it at class-definition time. */
export function currentDatabaseDriver(): DatabaseDriver {
  return databaseDriverOf(process.env.DATABASE_URL);
}
