import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { QueryResult } from 'typeorm/query-runner/QueryResult';
import { DatabaseDriver } from '../../config/app-config';

export type SqlTarget = DataSource | EntityManager | QueryRunner;

function dataSourceOf(target: SqlTarget): DataSource {
  return target instanceof DataSource ? target : target.connection;
}

function isQueryRunner(target: SqlTarget): target is QueryRunner {
  return !(target instanceof DataSource) && !(target instanceof EntityManager);
}

/**
 * Runs hand-written SQL with TypeORM-style :named and :...list parameters on any driver (Dates become each
 * driver's stored form). Used by repositories for set-based queries; returns rows and the affected count.
 */
export async function runSql<T = Record<string, unknown>>(target: SqlTarget, sql: string, params: Record<string, unknown> = {}): Promise<{ rows: T[]; affected: number }> {
  const ds = dataSourceOf(target);
  const [query, values] = ds.driver.escapeQueryWithParameters(sql, params, {});
  const own = isQueryRunner(target) ? target : target instanceof DataSource ? undefined : target.queryRunner;
  const runner = own ?? ds.createQueryRunner();
  try {
    const r = (await runner.query(query, values, true)) as QueryResult;
    return { rows: (r.records ?? []) as T[], affected: r.affected ?? 0 };
  } finally {
    if (!own) await runner.release();
  }
}

export function driverOfDataSource(ds: DataSource): DatabaseDriver {
  const t = ds.options.type;
  return t === 'better-sqlite3' || t === 'sqlite' ? 'sqlite' : t === 'mssql' ? 'mssql' : 'postgres';
}

/** The few expressions that are spelled differently per driver in hand-written SQL. */
export interface SqlDialect {
  driver: DatabaseDriver;
  least(a: string, b: string): string;
  greatest(a: string, b: string): string;
  /** A number parameter or expression as an exact/real number, so arithmetic does not fall back to integers. */
  num(expr: string): string;
  /** Rounds half away from zero to an integer. */
  roundInt(expr: string): string;
  /** UTC calendar day 'YYYY-MM-DD' of a timestamp column. */
  day(expr: string): string;
  /** UTC calendar month 'YYYY-MM' of a timestamp column. */
  month(expr: string): string;
  /** UTC ISO weekday of a timestamp column as an integer: 1 = Monday ... 7 = Sunday. */
  isoWeekday(expr: string): string;
  /** UTC hour of a timestamp column as an integer 0..23. */
  hour(expr: string): string;
  /** A timestamp as fractional days since an epoch: differences of two give elapsed days. */
  epochDays(expr: string): string;
  /** A literal boolean. */
  bool(v: boolean): string;
  /** Casts a parameter to a column type where Postgres cannot infer it (INSERT ... SELECT :param). */
  cast(expr: string, type: 'uuid' | 'timestamp' | 'int'): string;
  /** Column types for temporary tables. */
  types: { uuid: string; float: string; timestamp: string; bigint: string };
  /**
   * `col` is one of the uuids in the list parameter `param`. Postgres binds the list as one array (hundreds of
   * parameters cost planning time); the others expand it (:...param).
   */
  uuidIn(col: string, param: string): string;
  /** uuidIn for a text column. */
  textIn(col: string, param: string): string;
}

export function sqlDialect(driver: DatabaseDriver): SqlDialect {
  if (driver === 'postgres') {
    return {
      driver,
      least: (a, b) => `LEAST(${a}, ${b})`,
      greatest: (a, b) => `GREATEST(${a}, ${b})`,
      num: (e) => `CAST(${e} AS numeric)`,
      // round(numeric) breaks ties away from zero; round(double precision) would round half to even.
      roundInt: (e) => `CAST(ROUND(CAST(${e} AS numeric)) AS int)`,
      day: (e) => `to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
      month: (e) => `to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM')`,
      isoWeekday: (e) => `CAST(EXTRACT(ISODOW FROM ${e} AT TIME ZONE 'UTC') AS int)`,
      hour: (e) => `CAST(EXTRACT(HOUR FROM ${e} AT TIME ZONE 'UTC') AS int)`,
      epochDays: (e) => `(EXTRACT(EPOCH FROM ${e}) / 86400.0)`,
      bool: (v) => (v ? 'true' : 'false'),
      cast: (e, t) => `CAST(${e} AS ${t === 'uuid' ? 'uuid' : t === 'timestamp' ? 'timestamptz' : 'integer'})`,
      types: { uuid: 'uuid', float: 'double precision', timestamp: 'timestamptz', bigint: 'bigint' },
      uuidIn: (col, param) => `${col} = ANY(CAST(:${param} AS uuid[]))`,
      textIn: (col, param) => `${col} = ANY(CAST(:${param} AS text[]))`,
    };
  }
  if (driver === 'sqlite') {
    return {
      driver,
      least: (a, b) => `MIN(${a}, ${b})`,
      greatest: (a, b) => `MAX(${a}, ${b})`,
      num: (e) => `CAST(${e} AS REAL)`,
      roundInt: (e) => `CAST(ROUND(${e}) AS INTEGER)`,
      // Timestamps are stored as UTC 'YYYY-MM-DD HH:MM:SS.SSS' text.
      day: (e) => `substr(${e}, 1, 10)`,
      month: (e) => `substr(${e}, 1, 7)`,
      // strftime('%w') counts from Sunday = 0.
      isoWeekday: (e) => `((CAST(strftime('%w', ${e}) AS INTEGER) + 6) % 7 + 1)`,
      hour: (e) => `CAST(strftime('%H', ${e}) AS INTEGER)`,
      epochDays: (e) => `julianday(${e})`,
      bool: (v) => (v ? '1' : '0'),
      // Parameters arrive already in the stored form (Dates as UTC text), so no cast is needed.
      cast: (e) => e,
      types: { uuid: 'varchar(36)', float: 'REAL', timestamp: 'datetime', bigint: 'INTEGER' },
      uuidIn: expandedIn,
      textIn: expandedIn,
    };
  }
  return {
    driver,
    least: (a, b) => `(CASE WHEN ${a} < ${b} THEN ${a} ELSE ${b} END)`,
    greatest: (a, b) => `(CASE WHEN ${a} > ${b} THEN ${a} ELSE ${b} END)`,
    num: (e) => `CAST(${e} AS float)`,
    roundInt: (e) => `CAST(ROUND(${e}, 0) AS int)`,
    day: (e) => `CONVERT(varchar(10), SWITCHOFFSET(${e}, 0), 23)`,
    month: (e) => `CONVERT(varchar(7), SWITCHOFFSET(${e}, 0), 23)`,
    // DATEPART(weekday) depends on the session's DATEFIRST; @@DATEFIRST cancels it out.
    isoWeekday: (e) => `((DATEPART(weekday, SWITCHOFFSET(${e}, 0)) + @@DATEFIRST + 5) % 7 + 1)`,
    hour: (e) => `DATEPART(hour, SWITCHOFFSET(${e}, 0))`,
    epochDays: (e) => `(DATEDIFF_BIG(second, '1970-01-01', ${e}) / 86400.0)`,
    bool: (v) => (v ? '1' : '0'),
    cast: (e, t) => `CAST(${e} AS ${t === 'uuid' ? 'uniqueidentifier' : t === 'timestamp' ? 'datetimeoffset' : 'int'})`,
    types: { uuid: 'uniqueidentifier', float: 'float', timestamp: 'datetimeoffset', bigint: 'bigint' },
    uuidIn: expandedIn,
    textIn: expandedIn,
  };
}

/**
 * Runs `query` (built with uuidIn/textIn) over `list` in pieces the driver can bind: Postgres takes the list as one
 * array parameter, the others expand it into a parameter per item and SQL Server takes at most 2100 per statement.
 */
export async function inBindableChunks<T, R>(dialect: SqlDialect, list: T[], query: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  if (dialect.driver === 'postgres') return list.length ? query(list) : [];
  const out: R[] = [];
  for (let i = 0; i < list.length; i += EXPANDED_LIST_MAX) out.push(...(await query(list.slice(i, i + EXPANDED_LIST_MAX))));
  return out;
}
const EXPANDED_LIST_MAX = 1000;

function expandedIn(col: string, param: string): string {
  return `${col} IN (:...${param})`;
}
