import { EntityManager } from 'typeorm';
import { DateUtils } from 'typeorm/util/DateUtils';

export type SqlDriver = 'sqlite' | 'postgres' | 'mssql';
/** json: a COLUMN.json column; jsonDocument: a COLUMN.jsonDocument column (json, not jsonb, on Postgres). */
export type BulkColumnKind = 'uuid' | 'text' | 'timestamp' | 'json' | 'jsonDocument' | 'int' | 'bigint' | 'float' | 'bool';

export interface BulkColumn {
  name: string;
  kind: BulkColumnKind;
}

export interface BulkInsertSpec {
  table: string;
  columns: BulkColumn[];
  /**
   * 'error': a row that hits a unique index fails the statement (rows known to be new).
   * 'ignore': rows that hit any unique index are skipped (they never abort the transaction).
   * upsert: ON CONFLICT (target) DO UPDATE SET col = <sql>; `excluded.col` is the new value.
   */
  onConflict: 'error' | 'ignore' | { target: string[]; set: Record<string, string> };
  /** Columns of the rows actually written (inserted, or updated by an upsert). */
  returning?: string[];
}

const PG_TYPE: Record<BulkColumnKind, string> = {
  uuid: 'uuid', text: 'text', timestamp: 'timestamptz', json: 'jsonb', jsonDocument: 'json', int: 'int', bigint: 'bigint', float: 'double precision', bool: 'boolean',
};
/** SQLite allows 32766 bound variables per statement; stay well below. */
const SQLITE_MAX_VARS = 30000;

export function driverOfManager(manager: EntityManager): SqlDriver {
  const t = manager.connection.options.type;
  return t === 'better-sqlite3' || t === 'sqlite' ? 'sqlite' : t === 'mssql' ? 'mssql' : 'postgres';
}

/** A value as the driver's raw query() binds it (TypeORM converts only for entity/query-builder writes). */
export function encodeSqlValue(driver: SqlDriver, kind: BulkColumnKind, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (kind === 'json' || kind === 'jsonDocument') return JSON.stringify(v);
  if (kind === 'timestamp') {
    const d = v instanceof Date ? v : new Date(String(v));
    return driver === 'sqlite' ? DateUtils.mixedDateToUtcDatetimeString(d) : d;
  }
  if (kind === 'bool') return driver === 'sqlite' ? (v ? 1 : 0) : !!v;
  return v;
}

/**
 * One set-based INSERT for many rows (the ingestion path writes hundreds per transaction). Postgres gets the rows
 * as one JSON parameter through json_to_recordset(), so the statement and its parameter list stay small; SQLite
 * gets multi-row VALUES in chunks. Conflicts never raise: 'ignore' skips, an upsert updates.
 */
export async function bulkInsert<R = Record<string, unknown>>(manager: EntityManager, spec: BulkInsertSpec, rows: Array<Record<string, unknown>>): Promise<R[]> {
  if (!rows.length) return [];
  const driver = driverOfManager(manager);
  if (driver === 'postgres') return pgInsert<R>(manager, spec, rows);
  if (driver === 'sqlite') {
    const per = Math.max(1, Math.floor(SQLITE_MAX_VARS / spec.columns.length));
    const out: R[] = [];
    for (let i = 0; i < rows.length; i += per) out.push(...(await sqliteInsert<R>(manager, spec, rows.slice(i, i + per))));
    return out;
  }
  return mssqlInsert<R>(manager, spec, rows);
}

function conflictClause(spec: BulkInsertSpec, quote: (s: string) => string): string {
  if (spec.onConflict === 'error') return '';
  if (spec.onConflict === 'ignore') return 'ON CONFLICT DO NOTHING';
  const sets = Object.entries(spec.onConflict.set).map(([c, sql]) => `${quote(c)} = ${sql}`);
  return `ON CONFLICT (${spec.onConflict.target.map(quote).join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
}

async function pgInsert<R>(manager: EntityManager, spec: BulkInsertSpec, rows: Array<Record<string, unknown>>): Promise<R[]> {
  const q = (s: string) => `"${s}"`;
  const cols = spec.columns.map((c) => q(c.name)).join(', ');
  // Timestamps travel as epoch milliseconds: a Date inside JSON.stringify costs a call into toJSON/toISOString
  // (~1.5 us a value, most of a narrow row's serialisation) and Postgres then parses the text back.
  const types = spec.columns.map((c) => `${q(c.name)} ${c.kind === 'timestamp' ? 'double precision' : PG_TYPE[c.kind]}`).join(', ');
  const values = spec.columns.map((c) => (c.kind === 'timestamp' ? `to_timestamp(${q(c.name)} / 1000.0)` : q(c.name))).join(', ');
  const returning = spec.returning?.length ? ` RETURNING ${spec.returning.map(q).join(', ')}` : '';
  const sql = `INSERT INTO ${q(spec.table)} (${cols}) SELECT ${values} FROM json_to_recordset($1::json) AS x(${types}) ${conflictClause(spec, q)}${returning}`;
  // The rows as one JSON document (V8's JSON.stringify and Postgres' json parser are both native); keys that are
  // not columns of the spec are ignored by json_to_recordset, absent ones are NULL.
  const res = (await manager.query(sql, [JSON.stringify(withEpochTimestamps(spec, rows))])) as R[];
  return spec.returning?.length ? res : [];
}

/** The rows with their timestamp columns as epoch milliseconds (shallow copies; the caller's rows are left alone). */
function withEpochTimestamps(spec: BulkInsertSpec, rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const names = spec.columns.filter((c) => c.kind === 'timestamp').map((c) => c.name);
  if (!names.length) return rows;
  return rows.map((r) => {
    const out = { ...r };
    for (const n of names) {
      const v = r[n];
      if (v !== null && v !== undefined) out[n] = v instanceof Date ? v.getTime() : new Date(String(v)).getTime();
    }
    return out;
  });
}

async function sqliteInsert<R>(manager: EntityManager, spec: BulkInsertSpec, rows: Array<Record<string, unknown>>): Promise<R[]> {
  const q = (s: string) => `"${s}"`;
  const tuple = `(${spec.columns.map(() => '?').join(', ')})`;
  const params: unknown[] = [];
  for (const r of rows) for (const c of spec.columns) params.push(encodeSqlValue('sqlite', c.kind, r[c.name]));
  const returning = spec.returning?.length ? ` RETURNING ${spec.returning.map(q).join(', ')}` : '';
  // "WHERE true" is not needed with VALUES; an upsert on SQLite uses the same ON CONFLICT syntax as Postgres.
  const sql = `INSERT INTO ${q(spec.table)} (${spec.columns.map((c) => q(c.name)).join(', ')}) VALUES ${rows.map(() => tuple).join(', ')} ${conflictClause(spec, q)}${returning}`;
  const res = (await manager.query(sql, params)) as R[];
  return spec.returning?.length && Array.isArray(res) ? res : [];
}

/** SQL Server has no ON CONFLICT: row by row, skipping or updating on an existing key (kept simple; not a hot path there). */
async function mssqlInsert<R>(manager: EntityManager, spec: BulkInsertSpec, rows: Array<Record<string, unknown>>): Promise<R[]> {
  const q = (s: string) => `[${s}]`;
  const out: R[] = [];
  for (const r of rows) {
    const cols = spec.columns.map((c) => q(c.name)).join(', ');
    const vals = spec.columns.map((_, i) => `@${i}`).join(', ');
    const params = spec.columns.map((c) => encodeSqlValue('mssql', c.kind, r[c.name]));
    const output = spec.returning?.length ? ` OUTPUT ${spec.returning.map((c) => `INSERTED.${q(c)}`).join(', ')}` : '';
    try {
      const res = (await manager.query(`INSERT INTO ${q(spec.table)} (${cols})${output} VALUES (${vals})`, params)) as R[];
      if (output) out.push(...res);
    } catch (e) {
      const err = e as { number?: number; driverError?: { number?: number } };
      const num = err.driverError?.number ?? err.number;
      if ((num !== 2627 && num !== 2601) || spec.onConflict === 'error') throw e;
      if (spec.onConflict === 'ignore') continue;
      const target = spec.onConflict.target;
      const sets = Object.entries(spec.onConflict.set).map(([c, sql]) => `${q(c)} = ${sql.replace(/excluded\.(\w+)/g, (_m, name: string) => `@${spec.columns.findIndex((x) => x.name === name)}`)}`);
      const where = target.map((c) => `${q(c)} = @${spec.columns.findIndex((x) => x.name === c)}`).join(' AND ');
      const upd = (await manager.query(`UPDATE ${q(spec.table)} SET ${sets.join(', ').replace(new RegExp(`${spec.table}\\.`, 'g'), '')}${output} WHERE ${where}`, params)) as R[];
      if (output) out.push(...upd);
    }
  }
  return out;
}
