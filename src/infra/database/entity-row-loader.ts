import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Loads one entity by an equality lookup with SQL built once, hydrated the way TypeORM hydrates (each column
 * through the driver's prepareHydratedValue and its transformer). For the hottest reads (GET /customers/:id):
 * findOne builds a query builder, an alias map and a result transformer on every call, which costs more than the
 * indexed lookup itself.
 */
export class EntityRowLoader<T extends ObjectLiteral> {
  private readonly sql: { live: string; withDeleted: string };
  private readonly columns: ColumnMetadata[];

  constructor(
    private readonly ds: DataSource,
    private readonly target: EntityTarget<T>,
    /** Property names compared for equality, in the order of the values passed to one(). */
    keys: string[],
  ) {
    const meta = ds.getMetadata(target);
    this.columns = meta.columns;
    const q = (name: string) => ds.driver.escape(name);
    const placeholder = (i: number) => (ds.options.type === 'postgres' ? `$${i + 1}` : ds.options.type === 'mssql' ? `@${i}` : '?');
    const where = keys.map((k, i) => `${q(meta.findColumnWithPropertyPath(k)!.databaseName)} = ${placeholder(i)}`).join(' AND ');
    const select = `SELECT ${this.columns.map((c) => q(c.databaseName)).join(', ')} FROM ${q(meta.tablePath)} WHERE ${where}`;
    const deleted = meta.deleteDateColumn ? ` AND ${q(meta.deleteDateColumn.databaseName)} IS NULL` : '';
    this.sql = { live: select + deleted, withDeleted: select };
  }

  async one(values: unknown[], opts: { withDeleted?: boolean; manager?: EntityManager } = {}): Promise<T | null> {
    const m = opts.manager ?? this.ds.manager;
    const rows = (await m.query(opts.withDeleted ? this.sql.withDeleted : this.sql.live, values)) as Array<Record<string, unknown>>;
    return rows.length ? this.hydrate(rows[0]) : null;
  }

  /** The entity's columns as `alias.column AS column`, for a query whose raw rows go to hydrate(). */
  selectList(alias: string): string {
    const q = (name: string) => this.ds.driver.escape(name);
    return this.columns.map((c) => `${q(alias)}.${q(c.databaseName)} AS ${q(c.databaseName)}`).join(', ');
  }

  /** An entity from a raw row keyed by column name (one() and queries selecting selectList()). */
  hydrate(raw: Record<string, unknown>): T {
    const entity = this.ds.manager.create(this.target) as T;
    for (const c of this.columns) {
      let value: unknown = this.ds.driver.prepareHydratedValue(raw[c.databaseName], c);
      if (value === undefined) value = null;
      c.setEntityValue(entity, value);
    }
    return entity;
  }
}
