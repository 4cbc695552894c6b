import { ColumnType } from 'typeorm';
import { currentDatabaseDriver, DatabaseDriver } from '../../config/app-config';

interface ColumnTypeSet {
  uuid: ColumnType;
  timestamp: ColumnType;
  json: ColumnType;
  /**
   * A JSON document kept as written and read back whole, never searched or indexed inside by SQL (an event's data, a
   * purchase's items). Postgres stores it as json (the text, validated) rather than jsonb: building jsonb costs ~4 us
   * per small document at insert (json_to_recordset hands the value over as text and jsonb_in parses it again), and
   * ingestion writes one per event.
   */
  jsonDocument: ColumnType;
  text: ColumnType;
  bool: ColumnType;
  bigint: ColumnType;
}

const TYPES: Record<DatabaseDriver, ColumnTypeSet> = {
  postgres: { uuid: 'uuid', timestamp: 'timestamptz', json: 'jsonb', jsonDocument: 'json', text: 'text', bool: 'boolean', bigint: 'bigint' },
  sqlite: { uuid: 'varchar', timestamp: 'datetime', json: 'simple-json', jsonDocument: 'simple-json', text: 'text', bool: 'boolean', bigint: 'bigint' },
  mssql: { uuid: 'uniqueidentifier', timestamp: 'datetimeoffset', json: 'simple-json', jsonDocument: 'simple-json', text: 'nvarchar', bool: 'bit', bigint: 'bigint' },
};

/**
 * Column types for the driver chosen by DATABASE_URL. Entities and migrations both use these so that one set of
 * migrations runs on SQLite, PostgreSQL and SQL Server, and the entity/migration check compares like with like.
 */
export const COLUMN: ColumnTypeSet = TYPES[currentDatabaseDriver()];

/** Length for nvarchar(max)-style text columns on SQL Server; ignored elsewhere. */
export const TEXT_LENGTH = currentDatabaseDriver() === 'mssql' ? 'MAX' : undefined;
export const UUID_LENGTH = currentDatabaseDriver() === 'sqlite' ? 36 : undefined;
