import { QueryRunner, TableColumnOptions } from 'typeorm';
import { COLUMN, TEXT_LENGTH, UUID_LENGTH } from './column-types';
import { DatabaseDriver } from '../../config/app-config';

type Opts = Partial<TableColumnOptions>;
const len = (l: string | number | undefined): Opts => (l === undefined ? {} : { length: String(l) });

/** Column builders for migrations: the same types entities use, so one migration serves every driver. */
export const col = {
  uuid: (name: string, o: Opts = {}): TableColumnOptions => ({ name, type: String(COLUMN.uuid), ...len(UUID_LENGTH), ...o }),
  id: (): TableColumnOptions => col.uuid('id', { isPrimary: true }),
  varchar: (name: string, length: number, o: Opts = {}): TableColumnOptions => ({ name, type: 'varchar', length: String(length), ...o }),
  text: (name: string, o: Opts = {}): TableColumnOptions => ({ name, type: String(COLUMN.text), ...len(TEXT_LENGTH), ...o }),
  json: (name: string, o: Opts = {}): TableColumnOptions => ({ name, type: jsonType(), ...o }),
  bool: (name: string, o: Opts = {}): TableColumnOptions => ({ name, type: String(COLUMN.bool), ...o }),
  int: (name: string, o: Opts = {}): TableColumnOptions => ({ name, type: intType(), ...o }),
  bigint: (name: string, o: Opts = {}): TableColumnOptions => ({ name, type: 'bigint', ...o }),
  float: (name: string, o: Opts = {}): TableColumnOptions => ({ name, type: floatType(), ...o }),
  timestamp: (name: string, o: Opts = {}): TableColumnOptions => ({ name, type: String(COLUMN.timestamp), ...o }),
  createdAt: (qr: QueryRunner, name = 'created_at'): TableColumnOptions =>
    col.timestamp(name, { default: String(qr.connection.driver.mappedDataTypes.createDateDefault) }),
  updatedAt: (qr: QueryRunner, name = 'updated_at'): TableColumnOptions =>
    col.timestamp(name, { default: String(qr.connection.driver.mappedDataTypes.updateDateDefault) }),
};

function jsonType(): string {
  // simple-json is stored as text by TypeORM on SQLite and as ntext on SQL Server.
  return COLUMN.json === 'simple-json' ? (driverOfColumns() === 'mssql' ? 'ntext' : 'text') : String(COLUMN.json);
}

// TypeORM reads an entity's 'int' as 'integer' on SQLite; the table must say the same or the schema diff flags it.
function intType(): string {
  return driverOfColumns() === 'sqlite' ? 'integer' : 'int';
}

function floatType(): string {
  return driverOfColumns() === 'postgres' ? 'double precision' : 'float';
}

function driverOfColumns(): DatabaseDriver {
  return COLUMN.uuid === 'uuid' ? 'postgres' : COLUMN.uuid === 'uniqueidentifier' ? 'mssql' : 'sqlite';
}

export function driverOf(qr: QueryRunner): DatabaseDriver {
  const t = qr.connection.options.type;
  return t === 'better-sqlite3' || t === 'sqlite' ? 'sqlite' : t === 'mssql' ? 'mssql' : 'postgres';
}
