import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { bulkInsert, driverOfManager, encodeSqlValue } from '../../infra/database/bulk-sql';
import { inBindableChunks, sqlDialect } from '../../infra/database/raw-sql';
import { Customer } from './entities/customer.entity';

/** lastSeenAt / lastContactedAt resolution: smaller moves are not written (see touchActivity). */
export const ACTIVITY_RESOLUTION_MS = 60_000;

/** Just enough of a customer to resolve an event's reference to it. */
export interface CustomerRef {
  id: string;
  externalId: string | null;
  email: string | null;
  deletedAt: Date | null;
}

/** Customer reads and writes of event ingestion: set-based, inside the caller's transaction, never aborting it. */
@Injectable()
export class CustomerRefsRepository {
  constructor(private readonly ds: DataSource) {}

  private get driver(): 'sqlite' | 'postgres' | 'mssql' {
    return driverOfManager(this.ds.manager);
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  findByIds(tenantId: string, ids: string[], manager?: EntityManager): Promise<Customer[]> {
    return this.m(manager).find(Customer, { where: { tenantId, id: In(ids) } });
  }

  /** Customers (deleted ones too) with any of these ids, external ids or emails (uq_customers_tenant_external_id, uq_customers_tenant_email). */
  async findRefs(tenantId: string, refs: { ids: string[]; externalIds: string[]; emails: string[] }, manager?: EntityManager): Promise<CustomerRef[]> {
    const ors: string[] = [];
    if (refs.ids.length) ors.push('c.id IN (:...ids)');
    if (refs.externalIds.length) ors.push('c.external_id IN (:...externalIds)');
    if (refs.emails.length) ors.push('c.email IN (:...emails)');
    if (!ors.length) return [];
    type Row = { id: string; external_id: string | null; email: string | null; deleted_at: Date | string | null };
    const toRef = (r: Row): CustomerRef => ({ id: r.id, externalId: r.external_id, email: r.email, deletedAt: r.deleted_at === null ? null : new Date(r.deleted_at) });
    if (this.driver === 'postgres') {
      // Hot path of event ingestion: one statement, arrays as parameters, no query-builder work per call.
      const rows: Row[] = await this.m(manager).query(
        'SELECT id, external_id, email, deleted_at FROM customers WHERE tenant_id = $1 AND (id = ANY($2::uuid[]) OR external_id = ANY($3::text[]) OR email = ANY($4::text[]))',
        [tenantId, refs.ids, refs.externalIds, refs.emails],
      );
      return rows.map(toRef);
    }
    const rows = await this.m(manager)
      .createQueryBuilder(Customer, 'c')
      .withDeleted()
      .select(['c.id AS id', 'c.external_id AS external_id', 'c.email AS email', 'c.deleted_at AS deleted_at'])
      .where('c.tenant_id = :tenantId', { tenantId })
      .andWhere(`(${ors.join(' OR ')})`, refs)
      .getRawMany<Row>();
    return rows.map(toRef);
  }

  /** Inserts the rows whose external id / email is free; rows that hit a unique index are skipped without aborting the transaction. */
  async insertIgnoringTaken(rows: Array<Partial<Customer>>, manager: EntityManager): Promise<void> {
    await bulkInsert(
      manager,
      {
        table: 'customers',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'external_id', kind: 'text' }, { name: 'email', kind: 'text' },
          { name: 'type', kind: 'text' }, { name: 'status', kind: 'text' }, { name: 'tags', kind: 'json' }, { name: 'attributes', kind: 'json' },
          { name: 'source', kind: 'text' }, { name: 'search_text', kind: 'text' }, { name: 'version', kind: 'int' },
          { name: 'last_seen_at', kind: 'timestamp' }, { name: 'last_contacted_at', kind: 'timestamp' },
        ],
        onConflict: 'ignore',
      },
      rows.map((r) => ({
        id: r.id, tenant_id: r.tenantId, external_id: r.externalId ?? null, email: r.email ?? null, type: r.type, status: r.status,
        tags: r.tags ?? [], attributes: r.attributes ?? {}, source: r.source ?? null, search_text: r.searchText ?? '', version: 1,
        last_seen_at: r.lastSeenAt ?? null, last_contacted_at: r.lastContactedAt ?? null,
      })),
    );
  }

  /**
   * Of these customers, the ones that exist, with their tenant's hard deletes held off until the caller's transaction
   * ends. Rows written for them then cannot outlive them: the tables event ingestion writes have no foreign key to
   * customers (the per-row check locked the customer row for every event; see migration 1733300000000). A shared
   * advisory lock per tenant, not row locks: locking the rows wrote every customer tuple (and its WAL) once per
   * batch. SQLite has one writer, so the read alone is enough; SQL Server takes a shared application lock.
   */
  async lockExisting(tenantId: string, ids: string[], manager: EntityManager): Promise<Set<string>> {
    if (!ids.length) return new Set();
    await this.eraseLock(tenantId, 'shared', manager);
    // Every ingestion batch and loyalty sync runs this: the primary key alone, one column back.
    const sql = sqlDialect(this.driver);
    const rows = await inBindableChunks(sql, [...new Set(ids)], (chunk) =>
      manager.createQueryBuilder(Customer, 'c').withDeleted().select('c.id', 'id').where(`c.tenant_id = :tenantId AND ${sql.uuidIn('c.id', 'ids')}`, { tenantId, ids: chunk }).getRawMany<{ id: string }>(),
    );
    return new Set(rows.map((r) => String(r.id).toLowerCase()));
  }

  /** Before a hard delete: waits for the tenant's ingestion transactions (lockExisting) and holds new ones off. */
  lockForDelete(tenantId: string, manager: EntityManager): Promise<void> {
    return this.eraseLock(tenantId, 'exclusive', manager);
  }

  /** A transaction-scoped lock on "the customers of this tenant may be erased". */
  private async eraseLock(tenantId: string, mode: 'shared' | 'exclusive', manager: EntityManager): Promise<void> {
    const resource = `ciq:customer-erasure:${tenantId}`;
    if (this.driver === 'postgres') {
      await manager.query(`SELECT ${mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(hashtextextended($1, 0))`, [resource]);
    } else if (this.driver === 'mssql') {
      // sp_getapplock reports failure (timeout, deadlock victim) through its return value, not an error.
      await manager.query(
        `DECLARE @r int; EXEC @r = sp_getapplock @Resource = @0, @LockMode = '${mode === 'shared' ? 'Shared' : 'Exclusive'}', @LockOwner = 'Transaction'; ` +
          `IF @r < 0 THROW 51000, 'customer erasure lock not granted', 1;`,
        [resource],
      );
    }
  }

  /**
   * Moves last_seen_at / last_contacted_at forward (never back) for many customers at once. Activity timestamps are not
   * profile edits: version and updated_at stay. They are kept to the minute: a move of less than ACTIVITY_RESOLUTION_MS
   * is skipped, because every customer update rewrites all seven customer indexes (trigram search included) and a busy
   * customer would otherwise be rewritten by every batch. Rows are locked in id order so concurrent batches cannot deadlock.
   */
  async touchActivity(rows: Array<{ id: string; seenAt: Date | null; contactedAt: Date | null }>, manager: EntityManager): Promise<void> {
    if (!rows.length) return;
    const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (this.driver === 'postgres') {
      await manager.query(
        `WITH v AS (SELECT id, to_timestamp(seen / 1000.0) AS seen, to_timestamp(contacted / 1000.0) AS contacted
                    FROM unnest($1::uuid[], $2::float8[], $3::float8[]) AS u(id, seen, contacted)),
              locked AS (SELECT c.id FROM customers c JOIN v ON v.id = c.id
                         WHERE (v.seen IS NOT NULL AND (c.last_seen_at IS NULL OR c.last_seen_at < v.seen - $4::interval))
                            OR (v.contacted IS NOT NULL AND (c.last_contacted_at IS NULL OR c.last_contacted_at < v.contacted - $4::interval))
                         ORDER BY c.id FOR NO KEY UPDATE OF c)
         UPDATE customers c SET last_seen_at = GREATEST(c.last_seen_at, v.seen), last_contacted_at = GREATEST(c.last_contacted_at, v.contacted)
         FROM v, locked WHERE c.id = v.id AND locked.id = c.id`,
        // Epoch milliseconds: node-postgres formats each Date of an array parameter in JavaScript (~1 us apiece).
        [sorted.map((r) => r.id), sorted.map((r) => r.seenAt?.getTime() ?? null), sorted.map((r) => r.contactedAt?.getTime() ?? null), `${ACTIVITY_RESOLUTION_MS} milliseconds`],
      );
      return;
    }
    const ts = (d: Date | null) => (d ? encodeSqlValue(this.driver, 'timestamp', d) : null);
    const p = this.driver === 'mssql' ? ['@0', '@1', '@2', '@3', '@4'] : ['?', '?', '?', '?', '?'];
    const earlier = (d: Date | null) => (d ? new Date(d.getTime() - ACTIVITY_RESOLUTION_MS) : null);
    for (const r of sorted) {
      const seen = ts(r.seenAt);
      const contacted = ts(r.contactedAt);
      const [seenFloor, contactedFloor] = [ts(earlier(r.seenAt)), ts(earlier(r.contactedAt))];
      const sql =
        `UPDATE customers SET last_seen_at = CASE WHEN last_seen_at IS NULL OR last_seen_at < ${p[0]} THEN ${p[1]} ELSE last_seen_at END, ` +
        `last_contacted_at = CASE WHEN last_contacted_at IS NULL OR last_contacted_at < ${p[2]} THEN ${p[3]} ELSE last_contacted_at END WHERE id = ${p[4]}`;
      const params = [seenFloor, seen, contactedFloor, contacted, r.id];
      await manager.query(sql, params);
    }
  }
}
