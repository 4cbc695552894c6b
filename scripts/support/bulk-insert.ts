import { EntityManager, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

// SQLite allows 32766 bound parameters per statement.
const SQLITE_MAX_PARAMS = 30000;
// Postgres gets one array per column (unnest), so a statement's size is bounded by memory, not parameters.
const POSTGRES_ROWS_PER_STATEMENT = 5000;

/**
 * Multi-row INSERTs for `entity` (a name TypeORM knows), converting each value exactly as TypeORM does when it
 * saves an entity (dates, JSON, booleans per driver), so bulk-loaded rows read back like API-made ones.
 * Runs on the caller's manager: wrap it in a transaction.
 */
export async function bulkInsert(manager: EntityManager, entity: string, rows: ObjectLiteral[]): Promise<void> {
  if (rows.length === 0) return;
  const ds = manager.connection;
  const driver = ds.driver;
  const type = ds.options.type;
  if (type !== 'postgres' && type !== 'better-sqlite3') throw new Error(`bulkInsert supports postgres and sqlite, not ${type}`);
  const meta = ds.getMetadata(entity);
  const seen = new Set<string>();
  const columns = meta.columns.filter((c) => !c.isVirtual && !seen.has(c.databaseName) && seen.add(c.databaseName));
  const head = `INSERT INTO ${driver.escape(meta.tablePath)} (${columns.map((c) => driver.escape(c.databaseName)).join(', ')}) `;
  const valueOf = (row: ObjectLiteral, c: ColumnMetadata): unknown => {
    const value: unknown = row[c.propertyName];
    return value === undefined || value === null ? null : driver.preparePersistentValue(value, c);
  };
  if (type === 'postgres') {
    // One typed array per column: far less to parse and plan than thousands of VALUES tuples.
    const casts = columns.map((c, i) => `$${i + 1}::${driver.normalizeType(c)}[]`).join(', ');
    for (let start = 0; start < rows.length; start += POSTGRES_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + POSTGRES_ROWS_PER_STATEMENT);
      await manager.query(`${head}SELECT * FROM unnest(${casts})`, columns.map((c) => chunk.map((row) => valueOf(row, c))));
    }
    return;
  }
  const perStatement = Math.max(1, Math.floor(SQLITE_MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await manager.query(`${head}VALUES ${chunk.map(() => tuple).join(', ')}`, chunk.flatMap((row) => columns.map((c) => valueOf(row, c))));
  }
}
