import { plainToInstance } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  registerDecorator,
  ValidationOptions,
  validateSync,
} from 'class-validator';
import { validateCronExpression } from 'cron';

/** A cron pattern the scheduler accepts (both BullMQ and @nestjs/schedule use the `cron` syntax). */
function IsCron(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCron',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: { validate: (v: unknown) => typeof v === 'string' && validateCronExpression(v.trim()).valid },
    });
}

/** Every variable the process reads. Validated once at start-up; a bad value stops the process. */
export class EnvironmentVariables {
  @IsOptional() @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional() @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString() @Matches(/^(postgres|postgresql|mssql|sqlite):/, {
    message: 'DATABASE_URL must start with postgres://, mssql:// or sqlite:',
  })
  DATABASE_URL?: string;

  @IsOptional() @IsBoolean()
  DATABASE_MIGRATE?: boolean;

  @IsOptional() @IsString() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  @IsOptional() @IsString() @Matches(/^(nats|tls):\/\//, { message: 'NATS_URL must start with nats:// or tls://' })
  NATS_URL?: string;

  @IsOptional() @IsString() @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional() @IsInt() @Min(60) @Max(86400)
  JWT_ACCESS_TTL_SECONDS?: number;

  @IsOptional() @IsInt() @Min(3600) @Max(31536000)
  JWT_REFRESH_TTL_SECONDS?: number;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional() @IsString()
  CORS_ORIGINS?: string;

  @IsOptional() @IsString()
  DATA_DIR?: string;

  @IsOptional() @IsInt() @Min(1) @Max(1000000)
  RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'QUEUE_PREFIX must be 1-40 letters, digits, _ or -' })
  QUEUE_PREFIX?: string;

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,60}$/, { message: 'NATS_STREAM must be 1-60 letters, digits, _ or -' })
  NATS_STREAM?: string;

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,60}$/, { message: 'NATS_DURABLE must be 1-60 letters, digits, _ or -' })
  NATS_DURABLE?: string;

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_.>*-]{1,100}$/, { message: 'NATS_SUBJECT_PREFIX must be a NATS subject prefix such as customer.events' })
  NATS_SUBJECT_PREFIX?: string;

  @IsOptional() @IsString() @MinLength(1)
  DEFAULT_TENANT?: string;

  @IsOptional() @IsInt() @Min(1) @Max(10000)
  LOGIN_RATE_LIMIT_PER_MINUTE?: number;

  @IsOptional() @IsInt() @Min(1) @Max(5000)
  EVENTS_BATCH_SIZE?: number;

  @IsOptional() @IsInt() @Min(1) @Max(8)
  EVENTS_CONCURRENCY?: number;

  @IsOptional() @IsInt() @Min(500) @Max(3600000)
  EVENTS_ACK_WAIT_MS?: number;

  @IsOptional() @IsInt() @Min(0) @Max(600000)
  JOBS_MERGE_WINDOW_MS?: number;

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  EVENTS_MAX_DELIVERIES?: number;

  @IsOptional() @IsString() @IsCron({ message: 'HEALTH_SCORE_CRON must be a valid cron pattern, e.g. "0 * * * *"' })
  HEALTH_SCORE_CRON?: string;

  @IsOptional() @IsString() @IsCron({ message: 'SEGMENTS_CRON must be a valid cron pattern, e.g. "*/15 * * * *"' })
  SEGMENTS_CRON?: string;

  @IsOptional() @IsBoolean()
  SIMULATION_ENABLED?: boolean;

  @IsOptional() @IsInt() @Min(0) @Max(86400)
  ANALYTICS_CACHE_SECONDS?: number;

  /** Lets webhook and CRM URLs resolve to private, loopback or link-local addresses (tests, trusted networks). */
  @IsOptional() @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE?: boolean;

  @IsOptional() @IsInt() @Min(100) @Max(60000)
  WEBHOOK_TIMEOUT_MS?: number;

  @IsOptional() @IsInt() @Min(1) @Max(30)
  WEBHOOK_MAX_ATTEMPTS?: number;

  /** First retry delay; each next one is 3x longer (8 attempts with 80 s span about a day). */
  @IsOptional() @IsInt() @Min(1) @Max(86400000)
  WEBHOOK_RETRY_BASE_MS?: number;

  /** Consecutive deliveries that exhausted every attempt before an endpoint is disabled. */
  @IsOptional() @IsInt() @Min(1) @Max(10000)
  WEBHOOK_DISABLE_AFTER_FAILURES?: number;

  /** Deliveries one BullMQ worker sends at the same time. */
  @IsOptional() @IsInt() @Min(1) @Max(256)
  WEBHOOK_CONCURRENCY?: number;

  /** First wait before retrying a CRM call that got a 5xx or no answer; doubles per retry (429 waits Retry-After). */
  @IsOptional() @IsInt() @Min(1) @Max(60000)
  CRM_RETRY_BASE_MS?: number;

  /** 32-byte key (64 hex characters or base64) for CRM credentials and webhook secrets at rest (AES-256-GCM). */
  @IsOptional() @IsString() @Matches(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, {
    message: 'CRM_ENCRYPTION_KEY must be 32 bytes as 64 hex characters or base64',
  })
  CRM_ENCRYPTION_KEY?: string;

  /** Access token the stdio MCP server (`npm run mcp`) acts with: its tenant and role scope every tool. */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, { message: 'CUSTOMERIQ_TOKEN must be a JWT (three base64url parts), e.g. from npm run token' })
  CUSTOMERIQ_TOKEN?: string;
}

const BOOLEAN_VARS = new Set(['DATABASE_MIGRATE', 'SIMULATION_ENABLED', 'WEBHOOK_ALLOW_PRIVATE']);
const INT_VARS = new Set([
  'PORT',
  'JWT_ACCESS_TTL_SECONDS',
  'JWT_REFRESH_TTL_SECONDS',
  'RATE_LIMIT_PER_MINUTE',
  'LOGIN_RATE_LIMIT_PER_MINUTE',
  'EVENTS_BATCH_SIZE',
  'EVENTS_CONCURRENCY',
  'EVENTS_ACK_WAIT_MS',
  'EVENTS_MAX_DELIVERIES',
  'JOBS_MERGE_WINDOW_MS',
  'ANALYTICS_CACHE_SECONDS',
  'WEBHOOK_TIMEOUT_MS',
  'WEBHOOK_MAX_ATTEMPTS',
  'WEBHOOK_RETRY_BASE_MS',
  'WEBHOOK_DISABLE_AFTER_FAILURES',
  'WEBHOOK_CONCURRENCY',
  'CRM_RETRY_BASE_MS',
]);

function coerce(raw: Record<string, string | undefined>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined || value === '') continue;
    if (BOOLEAN_VARS.has(key)) out[key] = value === 'true' ? true : value === 'false' ? false : value;
    else if (INT_VARS.has(key)) out[key] = /^-?\d+$/.test(value) ? Number(value) : value;
    else out[key] = value;
  }
  return out;
}

/** Validates the environment; throws one error naming every bad variable. */
export function validateEnvironment(raw: Record<string, string | undefined>): EnvironmentVariables {
  const env = plainToInstance(EnvironmentVariables, coerce(raw));
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
    throw new Error('Invalid configuration:\n  JWT_SECRET: required when NODE_ENV=production');
  }
  if (env.NODE_ENV === 'production' && !env.CRM_ENCRYPTION_KEY) {
    throw new Error('Invalid configuration:\n  CRM_ENCRYPTION_KEY: required when NODE_ENV=production');
  }
  return env;
}
