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

function messageOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // Driver errors carry the useful part (which key, which row) in `detail`.
  const detail = (e as { driverError?: { detail?: string } }).driverError?.detail;
  return [e.message, detail].filter(Boolean).join('\n');
}

/** Runs a script's main function and turns any thrown error into a one-line failure. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => fail(messageOf(e)),
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
export async function openDataSource(config: AppConfig): Promise<DataSource> {
  const { dataSourceOptions } = await import('../../src/infra/database/data-source-options');
  // TypeORM's error log prints every parameter of a failed query: megabytes for a bulk insert. Errors are thrown anyway.
  return new DataSource({ ...dataSourceOptions(config), logging: false }).initialize();
}
