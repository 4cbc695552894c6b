import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { EntityRowLoader } from '../../infra/database';
import { AppError } from '../../shared/app-error';
import { cursorDate, decodeCursor, decodeIdCursor, encodeCursor } from '../../shared/cursor';
import { applyTextSearch, orderByWordSimilarity } from './customer-search';
import { postgresRelevanceSearch } from './postgres-relevance-search';
import { ListCustomersQueryDto } from './dto/list-customers.dto';
import { CustomerTag } from './entities/customer-tag.entity';
import { Customer } from './entities/customer.entity';

type SortSpec = { expr: string; kind: 'date' | 'text' | 'number' };

export interface CustomerListResult {
  rows: Customer[];
  nextCursor: string | null;
  total?: number;
}

/** Extra WHERE clauses other modules contribute to the customer list (spend, tier, health, segment...). */
export interface CustomerFilterClause {
  sql: string;
  params: Record<string, unknown>;
}

/** Contributes WHERE clauses for the query params it owns; may read tenant settings first. */
export type CustomerFilterProvider = (tenantId: string, query: Record<string, unknown>) => CustomerFilterClause[] | Promise<CustomerFilterClause[]>;

/**
 * A sort another module contributes (healthScore...): a numeric SQL expression over the customer alias `c`,
 * optionally reading a table joined one-to-one on the customer.
 */
export interface CustomerSortClause {
  expr: string;
  join?: { table: string; alias: string; on: string };
}

/**
 * The only place that touches TypeORM for customers, their tags and addresses.
 * Timestamps are written by the application, never by CURRENT_TIMESTAMP or the column default: SQLite's have whole
 * seconds in another text format ('... 10:00:00' sorts before '... 10:00:00.000'), Postgres's have microseconds a
 * cursor cannot carry, and either breaks keyset pages on created_at / updated_at.
 */
@Injectable()
export class CustomersRepository {
  private readonly byId: EntityRowLoader<Customer>;

  constructor(private readonly ds: DataSource) {
    this.byId = new EntityRowLoader(ds, Customer, ['tenantId', 'id']);
  }

  private get driver(): 'sqlite' | 'postgres' | 'mssql' {
    const t = this.ds.options.type;
    return t === 'better-sqlite3' ? 'sqlite' : t === 'mssql' ? 'mssql' : 'postgres';
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  findById(tenantId: string, id: string, opts: { withDeleted?: boolean; manager?: EntityManager } = {}): Promise<Customer | null> {
    // Primary key lookup (the tenant test rides along): the read every customer route starts with.
    return this.byId.one([tenantId, id], opts);
  }

  findByEmailOrExternalId(tenantId: string, email: string | null | undefined, externalId: string | null | undefined, manager?: EntityManager): Promise<Customer | null> {
    const where = [] as Array<Record<string, string>>;
    if (email) where.push({ tenantId, email });
    if (externalId) where.push({ tenantId, externalId });
    if (!where.length) return Promise.resolve(null);
    return this.m(manager).findOne(Customer, { where, withDeleted: true });
  }

  insert(customer: Partial<Customer>, manager: EntityManager): Promise<Customer> {
    return manager.save(Customer, manager.create(Customer, customer));
  }

  /** Updates only when the stored version is still `expectedVersion`; returns false when it moved on. */
  async updateIfVersion(tenantId: string, id: string, expectedVersion: number, patch: Partial<Customer>, manager: EntityManager): Promise<boolean> {
    const res = await manager
      .createQueryBuilder()
      .update(Customer)
      .set({ ...patch, version: () => 'version + 1', updatedAt: new Date() } as never)
      .where('tenant_id = :tenantId AND id = :id AND version = :v', { tenantId, id, v: expectedVersion })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  async replaceTags(tenantId: string, customerId: string, tags: string[], manager: EntityManager): Promise<void> {
    await manager.delete(CustomerTag, { customerId });
    if (tags.length) await manager.insert(CustomerTag, tags.map((tag) => ({ tenantId, customerId, tag })));
  }

  setDeletedAt(tenantId: string, id: string, deletedAt: Date | null, manager?: EntityManager): Promise<unknown> {
    return this.m(manager)
      .createQueryBuilder()
      .update(Customer)
      .set({ deletedAt, version: () => 'version + 1', updatedAt: new Date() } as never)
      .where('tenant_id = :tenantId AND id = :id', { tenantId, id })
      .execute();
  }

  /** Removes the customer; foreign keys cascade to what it owns, except the tables CustomersService's erasers clear. */
  hardDelete(tenantId: string, id: string, manager?: EntityManager): Promise<unknown> {
    return this.m(manager).delete(Customer, { tenantId, id });
  }

  async list(tenantId: string, q: ListCustomersQueryDto, extra: CustomerFilterClause[] = [], extraSort?: CustomerSortClause): Promise<CustomerListResult> {
    const limit = q.limit ?? 20;
    const qb = this.ds.manager.createQueryBuilder(Customer, 'c').where('c.tenant_id = :tenantId', { tenantId });
    if (q.includeDeleted) qb.withDeleted();
    const sortBy = q.sortBy ?? (q.q ? 'relevance' : 'createdAt');
    // Postgres relevance search applies q to its bounded candidates itself; the total still counts every match.
    const searchLater = sortBy === 'relevance' && this.driver === 'postgres';
    this.applyFilters(qb, q, extra, !searchLater);
    const desc = (q.sortOrder ?? (sortBy === 'name' || sortBy === 'email' ? 'asc' : 'desc')) === 'desc';
    const total = q.withTotal ? await this.count(qb, searchLater ? q.q : undefined) : undefined;

    if (sortBy === 'relevance' && q.q) {
      // Relevance pages by offset: search results are read from the top, rarely deep.
      const offset = q.cursor ? Number(decodeCursor(q.cursor).v) : 0;
      // A hand-made cursor could carry a negative or astronomically large offset, which the databases reject.
      if (!Number.isSafeInteger(offset) || offset < 0) throw AppError.validation('cursor', 'is not a valid cursor');
      let rows: Customer[];
      if (this.driver === 'postgres') rows = await postgresRelevanceSearch(qb, q.q, offset, limit + 1, this.byId);
      else {
        orderByWordSimilarity(qb, q.q);
        rows = await qb.offset(offset).limit(limit + 1).getMany();
      }
      const more = rows.length > limit;
      return { rows: rows.slice(0, limit), nextCursor: more ? encodeCursor({ v: offset + limit, id: '' }) : null, total };
    }
    if (extraSort) return this.listByExtraSort(qb, q, extraSort, desc, limit, total);
    const sort = this.sortSpec(sortBy === 'relevance' || sortBy === 'healthScore' ? 'createdAt' : sortBy);
    // Spend and last-purchase sorts read the metrics module's customer_metrics (1:1, absent = no purchases).
    const byMetrics = sortBy === 'totalSpent' || sortBy === 'lastPurchaseAt';
    if (byMetrics) qb.leftJoin('customer_metrics', 'cm', 'cm.tenant_id = c.tenant_id AND cm.customer_id = c.id').addSelect(sort.expr, 'sort_value');
    if (q.cursor) {
      const pos = decodeIdCursor(q.cursor);
      const v = sort.kind === 'date' ? cursorDate(pos.v) : pos.v;
      const op = desc ? '<' : '>';
      qb.andWhere(`(${sort.expr} ${op} :cv OR (${sort.expr} = :cv AND c.id ${op} :cid))`, { cv: v, cid: pos.id });
    }
    qb.orderBy(sort.expr, desc ? 'DESC' : 'ASC').addOrderBy('c.id', desc ? 'DESC' : 'ASC');
    if (byMetrics) {
      const { raw, entities } = await qb.limit(limit + 1).getRawAndEntities<{ sort_value: unknown }>();
      const page = entities.slice(0, limit);
      const last = page[page.length - 1];
      const v = last ? joinedSortValue(sort.kind, raw[page.length - 1].sort_value) : null;
      return { rows: page, nextCursor: entities.length > limit && last ? encodeCursor({ v, id: last.id }) : null, total };
    }
    const rows = await qb.limit(limit + 1).getMany();
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: more && last ? encodeCursor({ v: this.sortValue(sortBy, last), id: last.id }) : null, total };
  }

  private count(filtered: SelectQueryBuilder<Customer>, search: string | undefined): Promise<number> {
    const qb = filtered.clone();
    if (search) applyTextSearch(qb, search, this.driver);
    return qb.getCount();
  }

  /** Keyset pages on a registered numeric sort (value, id); the value of the last row comes back as a raw column. */
  private async listByExtraSort(
    qb: SelectQueryBuilder<Customer>, q: ListCustomersQueryDto, sort: CustomerSortClause, desc: boolean, limit: number, total: number | undefined,
  ): Promise<CustomerListResult> {
    if (sort.join) qb.leftJoin(sort.join.table, sort.join.alias, sort.join.on);
    if (q.cursor) {
      const pos = decodeCursor(q.cursor);
      if (typeof pos.v !== 'number') throw AppError.validation('cursor', 'is not a valid cursor for this sort');
      const op = desc ? '<' : '>';
      qb.andWhere(`(${sort.expr} ${op} :cv OR (${sort.expr} = :cv AND c.id ${op} :cid))`, { cv: pos.v, cid: pos.id });
    }
    qb.addSelect(sort.expr, 'ciq_sort_value').orderBy(sort.expr, desc ? 'DESC' : 'ASC').addOrderBy('c.id', desc ? 'DESC' : 'ASC');
    const { entities, raw } = await qb.limit(limit + 1).getRawAndEntities<{ ciq_sort_value: string | number }>();
    const more = entities.length > limit;
    const page = entities.slice(0, limit);
    const last = page[page.length - 1];
    const lastValue = last ? Number(raw[page.length - 1].ciq_sort_value) : null;
    return { rows: page, nextCursor: more && last ? encodeCursor({ v: lastValue, id: last.id }) : null, total };
  }

  private applyFilters(qb: SelectQueryBuilder<Customer>, q: ListCustomersQueryDto, extra: CustomerFilterClause[], withSearch = true): void {
    if (q.q && withSearch) applyTextSearch(qb, q.q, this.driver);
    if (q.status?.length) qb.andWhere('c.status IN (:...status)', { status: q.status });
    if (q.type?.length) qb.andWhere('c.type IN (:...ctype)', { ctype: q.type });
    if (q.tags?.length) {
      const tags = q.tags.map((t) => t.trim().toLowerCase());
      // ix_customer_tags_tenant_tag
      const sub = 'SELECT ct.customer_id FROM customer_tags ct WHERE ct.tenant_id = c.tenant_id AND ct.customer_id = c.id AND ct.tag IN (:...tags)';
      if ((q.tagsMode ?? 'any') === 'any') qb.andWhere(`EXISTS (${sub})`, { tags });
      else qb.andWhere(`(SELECT COUNT(*) FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag IN (:...tags)) = :tagCount`, { tags, tagCount: tags.length });
    }
    if (q.createdFrom) qb.andWhere('c.created_at >= :createdFrom', { createdFrom: new Date(q.createdFrom) });
    if (q.createdTo) qb.andWhere('c.created_at <= :createdTo', { createdTo: new Date(q.createdTo) });
    if (q.lastSeenFrom) qb.andWhere('c.last_seen_at >= :lastSeenFrom', { lastSeenFrom: new Date(q.lastSeenFrom) });
    if (q.lastSeenTo) qb.andWhere('c.last_seen_at <= :lastSeenTo', { lastSeenTo: new Date(q.lastSeenTo) });
    for (const clause of extra) qb.andWhere(clause.sql, clause.params);
  }

  private sortSpec(sortBy: Exclude<ListCustomersQueryDto['sortBy'], undefined | 'relevance' | 'healthScore'>): SortSpec {
    switch (sortBy) {
      case 'updatedAt':
        return { expr: 'c.updated_at', kind: 'date' };
      case 'lastSeenAt':
        return { expr: `COALESCE(c.last_seen_at, ${this.epochLiteral()})`, kind: 'date' };
      case 'name':
        return { expr: "LOWER(COALESCE(c.last_name, '') || ' ' || COALESCE(c.first_name, ''))", kind: 'text' };
      case 'email':
        return { expr: "COALESCE(c.email, '')", kind: 'text' };
      case 'totalSpent':
        return { expr: 'COALESCE(cm.total_spent_minor, 0)', kind: 'number' };
      case 'lastPurchaseAt':
        return { expr: `COALESCE(cm.last_purchase_at, ${this.epochLiteral()})`, kind: 'date' };
      default:
        return { expr: 'c.created_at', kind: 'date' };
    }
  }

  // No purchases sorts as spend 0 / last purchase at the epoch, so keyset positions are never NULL.
  private epochLiteral(): string {
    return this.driver === 'postgres' ? "'1970-01-01T00:00:00Z'::timestamptz" : "'1970-01-01 00:00:00.000'";
  }

  private sortValue(sortBy: string, c: Customer): string | number | null {
    switch (sortBy) {
      case 'updatedAt':
        return c.updatedAt.toISOString();
      case 'lastSeenAt':
        return (c.lastSeenAt ?? new Date(0)).toISOString();
      case 'name':
        return `${c.lastName ?? ''} ${c.firstName ?? ''}`.toLowerCase();
      case 'email':
        return c.email ?? '';
      default:
        return c.createdAt.toISOString();
    }
  }

  /** Totals for GET /customers/stats in a handful of grouped queries (ix_customers_tenant_created, ix_customer_tags_tenant_tag). */
  async stats(tenantId: string, now: Date): Promise<{ byStatus: Record<string, number>; byType: Record<string, number>; new7: number; new30: number; topTags: Array<{ key: string; count: number }> }> {
    const base = () => this.ds.manager.createQueryBuilder(Customer, 'c').where('c.tenant_id = :tenantId', { tenantId });
    const group = async (col: string) => {
      const rows = await base().select(`c.${col}`, 'k').addSelect('COUNT(*)', 'n').groupBy(`c.${col}`).getRawMany<{ k: string; n: string }>();
      return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));
    };
    const since = (days: number) => base().andWhere('c.created_at >= :since', { since: new Date(now.getTime() - days * 86400000) }).getCount();
    const tags = await this.ds.manager
      .createQueryBuilder(CustomerTag, 't')
      .innerJoin(Customer, 'c', 'c.id = t.customer_id AND c.deleted_at IS NULL')
      .select('t.tag', 'key')
      .addSelect('COUNT(*)', 'count')
      .where('t.tenant_id = :tenantId', { tenantId })
      .groupBy('t.tag')
      .orderBy('count', 'DESC')
      .addOrderBy('t.tag', 'ASC')
      .limit(10)
      .getRawMany<{ key: string; count: string }>();
    return {
      byStatus: await group('status'),
      byType: await group('type'),
      new7: await since(7),
      new30: await since(30),
      topTags: tags.map((t) => ({ key: t.key, count: Number(t.count) })),
    };
  }

  countByIds(tenantId: string, ids: string[]): Promise<number> {
    return this.ds.manager.count(Customer, { where: { tenantId, id: In(ids) } });
  }
}

/** The keyset value of a row sorted by a joined column: pg returns Date/string numbers, SQLite text. */
function joinedSortValue(kind: SortSpec['kind'], v: unknown): string | number | null {
  if (v === null || v === undefined) return null;
  if (kind === 'number') return Number(v);
  if (kind === 'date') return (v instanceof Date ? v : new Date(`${String(v).replace(' ', 'T')}Z`)).toISOString();
  return String(v);
}
