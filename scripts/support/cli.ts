import { DataSource } from 'typeorm';
import type { AppConfig } from '../../src/config/app-config';

/** Prints `message` to stderr and ends the process with exit code 1. */
export function fail(message: string): never {
  process.stderr.write(`${message.trimEnd()}\n`);
  process.exit(1);
}

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Runs a script's main function and turns any thrown error into a one-line failure. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => fail(e instanceof Error ? (process.env.DEBUG ? (e.stack ?? e.message) : e.message) : String(e)),
  );
}

/** Where the configuration points, without credentials (for messages). */
export function describeDatabase(config: AppConfig): string {
  const db = config.database;
  if (db.driver === 'sqlite') return `sqlite ${db.sqlitePath}`;
  const url = new URL(db.url);
  return `${db.driver} ${url.hostname}:${url.port || 'default'}${url.pathname}`;
}

/**
 * Opens a DataSource for `config`. Entity column types follow DATABASE_URL when their files load, so
 * process.env.DATABASE_URL must already name the target database and the options are imported only now.
 */
export async function openDataSource(config: AppConfig, logging = false): Promise<DataSource> {
  const { dataSourceOptions } = await import('../../src/infra/database/data-source-options');
  const options = { ...dataSourceOptions(config), ...(logging ? { logging: ['error' as const, 'warn' as const] } : {}) };
  return new DataSource(options).initialize();
}
