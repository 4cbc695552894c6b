import { SqlDriver } from './bulk-sql';

/**
 * A timestamp column at millisecond precision, for keyset cursors that compare rows of several tables with a
 * JavaScript Date: Postgres keeps microseconds (now() defaults), SQLite's datetime('now') default has no fraction.
 * SQLite compares the 'YYYY-MM-DD HH:MM:SS.SSS' text TypeORM binds for a Date.
 */
export function millisTimestampSql(driver: SqlDriver, column: string): string {
  if (driver === 'postgres') return `date_trunc('milliseconds', ${column})`;
  if (driver === 'sqlite') return `strftime('%Y-%m-%d %H:%M:%f', ${column})`;
  return column;
}
