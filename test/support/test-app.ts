import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { AppConfig, buildAppConfig, useAppConfig } from '../../src/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  db: TestDatabase;
  /** Sends a request through fastify's inject (no socket); JSON bodies are serialised. */
  request(opts: { method: InjectOptions['method']; url: string; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Share another test app's database (several instances of the app). */
  db?: TestDatabase;
  /** Start the NATS transport when NATS_URL is set (default true). */
  startMicroservices?: boolean;
}

/** Boots the whole application on a database of its own. `env` overrides configuration variables. */
export async function createTestApp(env: Record<string, string> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  const db = opts.db ?? (await createTestDatabase());
  const ownsDb = !opts.db;
  const config = buildAppConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'ciq-data-')),
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    // Tests ingest and drain in quick succession: a job waiting out the merge window would only slow them.
    JOBS_MERGE_WINDOW_MS: '0',
    ...env,
  });
  useAppConfig(config);
  const { createApp } = await import('../../src/app.factory');
  const app = await createApp(config, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  if (config.natsUrl && opts.startMicroservices !== false) await app.startAllMicroservices();
  return {
    app,
    config,
    db,
    request: ({ method, url, token, body, headers }) =>
      app.inject({
        method,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers },
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: async () => {
      // Let background jobs started by the last requests finish before the database goes away.
      const { JobQueue } = await import('../../src/infra/queue');
      await app.get(JobQueue).drain(10_000).catch(() => undefined);
      await app.close();
      if (ownsDb) await db.drop();
    },
  };
}
