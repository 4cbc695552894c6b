import { Injectable } from '@nestjs/common';
import { DomainEventBus } from '../../infra/domain-events';
import { randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { isUniqueViolation, TransactionRunner } from '../../infra/database';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Page } from '../../shared/cursor';
import { DomainEvent } from '../../shared/domain-event';
import { diff, duplicateCustomer, normalisePhone, staleVersion } from './customer-rules';
import { searchTextOf } from './customer-search';
import { CustomerRef, CustomerRefsRepository } from './customer-refs.repository';
import { CustomerFilterProvider, CustomerSortClause, CustomersRepository } from './customers.repository';
import { CreateCustomerDto, UpdateCustomerDto } from './dto/customer.dto';
import { CustomerStatsDto, ListCustomersQueryDto } from './dto/list-customers.dto';
import { Customer } from './entities/customer.entity';
import { CUSTOMER_EVENTS, CustomerChangedEvent, CustomerFieldChanges } from './customer.events';

/** Deletes a module's rows of one customer inside the hard delete's transaction. */
export type CustomerEraser = (tenantId: string, customerId: string, manager: EntityManager) => Promise<void>;

/** Customer profiles: the rules for creating, changing, finding and removing them. */
@Injectable()
export class CustomersService {
  /** Filters other modules add to GET /customers (spend, tier, health, segment...). */
  private readonly filterProviders: CustomerFilterProvider[] = [];

  constructor(
    private readonly repo: CustomersRepository,
    private readonly refs: CustomerRefsRepository,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEventBus,
  ) {}

  /** Sorts other modules serve by key of ListCustomersQueryDto.sortBy (healthScore...). */
  private readonly sortProviders = new Map<string, CustomerSortClause>();

  registerListFilter(provider: CustomerFilterProvider): void {
    this.filterProviders.push(provider);
  }

  registerListSort(key: string, clause: CustomerSortClause): void {
    this.sortProviders.set(key, clause);
  }

  /** Rows other modules keep for a customer without a cascading foreign key: removed inside the hard delete. */
  private readonly erasers: CustomerEraser[] = [];

  registerEraser(eraser: CustomerEraser): void {
    this.erasers.push(eraser);
  }

  /** Of these customers, the ones that exist; their tenant's hard deletes wait until `manager`'s transaction ends. */
  lockExisting(tenantId: string, ids: string[], manager: EntityManager): Promise<Set<string>> {
    return this.refs.lockExisting(tenantId, ids, manager);
  }

  /**
   * lockExisting for the customers of several tenants (customer ids by tenant id): the ones that exist, in one set.
   * Tenants are locked in one order, so two transactions of the same tenants cannot wait on each other's locks.
   */
  async lockExistingByTenant(idsByTenant: Map<string, string[]>, manager: EntityManager): Promise<Set<string>> {
    const live = new Set<string>();
    for (const tenantId of [...idsByTenant.keys()].sort()) {
      for (const id of await this.refs.lockExisting(tenantId, idsByTenant.get(tenantId)!, manager)) live.add(id);
    }
    return live;
  }

  async create(tenantId: string, dto: CreateCustomerDto, manager?: EntityManager): Promise<Customer> {
    const work = async (m: EntityManager) => {
      await this.assertUnique(tenantId, dto.email, dto.externalId, null, m);
      const fields = {
        tenantId,
        externalId: dto.externalId ?? null,
        email: dto.email ?? null,
        phone: normalisePhone(dto.phone),
        firstName: dto.firstName ?? null,
        lastName: dto.lastName ?? null,
        companyName: dto.companyName ?? null,
        type: dto.type ?? 'individual',
        status: dto.status ?? 'active',
        tags: dto.tags ?? [],
        attributes: dto.attributes ?? {},
        source: dto.source ?? null,
        lastSeenAt: dto.lastSeenAt ? new Date(dto.lastSeenAt) : null,
        deletedAt: null,
      };
      const now = new Date();
      const customer = await this.repo.insert({ ...fields, searchText: searchTextOf(fields), createdAt: now, updatedAt: now }, m);
      await this.repo.replaceTags(tenantId, customer.id, customer.tags, m);
      return customer;
    };
    const customer = await this.withConflictMapping(() => (manager ? work(manager) : this.tx.run(work)), tenantId, dto.email, dto.externalId);
    this.emit(CUSTOMER_EVENTS.created, { tenantId, customerId: customer.id, customer, changes: {} });
    return customer;
  }

  async get(tenantId: string, id: string): Promise<Customer> {
    const c = await this.repo.findById(tenantId, id);
    if (!c) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', id);
    return c;
  }

  /** Throws CUSTOMER_NOT_FOUND unless the customer exists (and is not deleted) in this tenant. */
  async assertExists(tenantId: string, id: string, manager?: EntityManager): Promise<void> {
    const c = await this.repo.findById(tenantId, id, { manager });
    if (!c) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', id);
  }

  async update(tenantId: string, id: string, dto: UpdateCustomerDto, ifMatch?: number, manager?: EntityManager): Promise<Customer> {
    const result = await this.withConflictMapping(
      () => (manager ? this.applyUpdate(tenantId, id, dto, ifMatch, manager) : this.tx.run((m) => this.applyUpdate(tenantId, id, dto, ifMatch, m))),
      tenantId, dto.email, dto.externalId,
    );
    if (Object.keys(result.changes).length) {
      this.emit(CUSTOMER_EVENTS.updated, { tenantId, customerId: id, customer: result.customer, changes: result.changes });
    }
    return result.customer;
  }

  /**
   * update() inside the caller's transaction without emitting: the caller emits `events` once it commits.
   * `tagChanges` adds/removes tags relative to the stored ones (profile_update events).
   */
  async updateInTransaction(
    tenantId: string, id: string, dto: UpdateCustomerDto, manager: EntityManager, tagChanges?: { add?: string[]; remove?: string[] },
  ): Promise<{ customer: Customer; events: DomainEvent[] }> {
    let patch = dto;
    if (tagChanges?.add?.length || tagChanges?.remove?.length) {
      const current = await this.repo.findById(tenantId, id, { manager });
      if (!current) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', id);
      const remove = new Set(tagChanges.remove ?? []);
      const tags = [...new Set([...(dto.tags ?? current.tags), ...(tagChanges.add ?? [])])].filter((t) => !remove.has(t));
      if (tags.length > 50) throw AppError.validation('addTags', 'a customer has at most 50 tags');
      patch = { ...dto, tags };
    }
    const result = await this.applyUpdate(tenantId, id, patch, undefined, manager);
    const events: DomainEvent[] = Object.keys(result.changes).length
      ? [{ name: CUSTOMER_EVENTS.updated, payload: { tenantId, customerId: id, customer: result.customer, changes: result.changes } satisfies CustomerChangedEvent }]
      : [];
    return { customer: result.customer, events };
  }

  /** For the events module: customers (deleted ones too) by id, external id or email. */
  findRefs(tenantId: string, refs: { ids: string[]; externalIds: string[]; emails: string[] }, manager?: EntityManager): Promise<CustomerRef[]> {
    return this.refs.findRefs(tenantId, refs, manager);
  }

  /**
   * Creates the customers that do not exist yet, one per external id or email, race-safe: concurrent callers
   * insert-or-ignore on uq_customers_tenant_external_id / uq_customers_tenant_email and read back the winner,
   * so the caller's transaction is never aborted. Returns every requested customer and customer.created events
   * (to emit after commit) for the ones this call created.
   */
  async ensureExist(
    tenantId: string, wanted: Array<{ externalId?: string; email?: string; lastSeenAt?: Date | null; lastContactedAt?: Date | null }>, source: string | null, manager: EntityManager,
  ): Promise<{ customers: CustomerRef[]; events: DomainEvent[] }> {
    const byKey = new Map<string, Partial<Customer>>();
    for (const w of wanted) {
      const key = w.externalId ? `x:${w.externalId}` : `e:${w.email}`;
      if (byKey.has(key) || (!w.externalId && !w.email)) continue;
      const fields = { externalId: w.externalId ?? null, email: w.externalId ? null : (w.email ?? null) };
      byKey.set(key, {
        id: randomUUID(), tenantId, ...fields, type: 'individual', status: 'active', tags: [], attributes: {}, source,
        searchText: searchTextOf(fields), lastSeenAt: w.lastSeenAt ?? null, lastContactedAt: w.lastContactedAt ?? null,
      });
    }
    // Sorted so concurrent transactions take the unique-index entries in the same order.
    const rows = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    if (!rows.length) return { customers: [], events: [] };
    await this.refs.insertIgnoringTaken(rows, manager);
    const customers = await this.refs.findRefs(
      tenantId,
      { ids: [], externalIds: rows.flatMap((r) => (r.externalId ? [r.externalId] : [])), emails: rows.flatMap((r) => (r.email ? [r.email] : [])) },
      manager,
    );
    const mine = new Set(rows.map((r) => r.id));
    const createdIds = customers.filter((c) => mine.has(c.id)).map((c) => c.id);
    const created = createdIds.length ? await this.refs.findByIds(tenantId, createdIds, manager) : [];
    const events: DomainEvent[] = created.map((customer) => ({
      name: CUSTOMER_EVENTS.created,
      payload: { tenantId, customerId: customer.id, customer, changes: {} } satisfies CustomerChangedEvent,
    }));
    return { customers, events };
  }

  /** Moves lastSeenAt / lastContactedAt forward for many customers (activity from events). */
  touchActivity(rows: Array<{ id: string; seenAt: Date | null; contactedAt: Date | null }>, manager: EntityManager): Promise<void> {
    return this.refs.touchActivity(rows, manager);
  }

  private async applyUpdate(
    tenantId: string, id: string, dto: UpdateCustomerDto, ifMatch: number | undefined, m: EntityManager,
  ): Promise<{ customer: Customer; changes: CustomerFieldChanges }> {
    const current = await this.repo.findById(tenantId, id, { manager: m });
    if (!current) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', id);
    const expected = ifMatch ?? dto.version ?? current.version;
    if (expected !== current.version) throw staleVersion(id, expected, current.version);
    const patch: Partial<Customer> = {};
    const { version: _v, ...fields } = dto;
    for (const [key, value] of Object.entries(fields) as Array<[keyof UpdateCustomerDto, unknown]>) {
      if (value === undefined) continue;
      (patch as Record<string, unknown>)[key] =
        key === 'phone' ? normalisePhone(value as string | null) : key === 'lastSeenAt' ? (value === null ? null : new Date(value as string)) : value;
    }
    const changes = diff(current, patch);
    if (Object.keys(changes).length === 0) return { customer: current, changes };
    if ('email' in changes || 'externalId' in changes) {
      await this.assertUnique(tenantId, patch.email, patch.externalId, id, m);
    }
    const next = { ...current, ...patch };
    patch.searchText = searchTextOf(next);
    if (!(await this.repo.updateIfVersion(tenantId, id, current.version, patch, m))) {
      const latest = await this.repo.findById(tenantId, id, { manager: m });
      throw staleVersion(id, expected, latest?.version ?? current.version);
    }
    if ('tags' in changes) await this.repo.replaceTags(tenantId, id, next.tags, m);
    return { customer: (await this.repo.findById(tenantId, id, { manager: m }))!, changes };
  }

  async softDelete(tenantId: string, id: string): Promise<void> {
    const c = await this.get(tenantId, id);
    await this.repo.setDeletedAt(tenantId, id, new Date());
    this.emit(CUSTOMER_EVENTS.deleted, { tenantId, customerId: id, customer: c, changes: {}, hard: false });
  }

  async hardDelete(tenantId: string, id: string): Promise<void> {
    const c = await this.repo.findById(tenantId, id, { withDeleted: true });
    if (!c) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', id);
    // Locked first, so no ingestion transaction still writing for this tenant's customers (lockExisting) commits rows
    // after the erasers ran; foreign keys cascade to the rest.
    await this.tx.run(async (m) => {
      await this.refs.lockForDelete(tenantId, m);
      for (const erase of this.erasers) await erase(tenantId, id, m);
      await this.repo.hardDelete(tenantId, id, m);
    });
    // Awaited: the modules' own clean-up (scores, metrics, their totals' refresh jobs) is done or queued when this returns.
    const payload: CustomerChangedEvent = { tenantId, customerId: id, customer: c, changes: {}, hard: true };
    await this.events.publishAsync([{ name: CUSTOMER_EVENTS.deleted, payload }]);
  }

  async restore(tenantId: string, id: string): Promise<Customer> {
    const c = await this.repo.findById(tenantId, id, { withDeleted: true });
    if (!c) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', id);
    if (c.deletedAt) await this.repo.setDeletedAt(tenantId, id, null);
    const restored = await this.get(tenantId, id);
    this.emit(CUSTOMER_EVENTS.updated, { tenantId, customerId: id, customer: restored, changes: { deletedAt: { from: c.deletedAt, to: null } } });
    return restored;
  }

  async list(tenantId: string, query: ListCustomersQueryDto): Promise<Page<Customer>> {
    // Providers may be async (a filter that depends on tenant settings reads them first).
    const extra = (await Promise.all(this.filterProviders.map(async (p) => p(tenantId, query as unknown as Record<string, unknown>)))).flat();
    const builtIn = ['createdAt', 'updatedAt', 'lastSeenAt', 'name', 'email', 'relevance', 'totalSpent', 'lastPurchaseAt'];
    const extraSort = query.sortBy && !builtIn.includes(query.sortBy) ? this.sortProviders.get(query.sortBy) : undefined;
    if (query.sortBy && !builtIn.includes(query.sortBy) && !extraSort) throw AppError.validation('sortBy', `${query.sortBy} is not available`);
    const r = await this.repo.list(tenantId, query, extra, extraSort);
    return { data: r.rows, page: { limit: query.limit ?? 20, nextCursor: r.nextCursor, ...(r.total !== undefined ? { total: r.total } : {}) } };
  }

  async stats(tenantId: string, now = new Date()): Promise<CustomerStatsDto> {
    const s = await this.repo.stats(tenantId, now);
    const total = Object.values(s.byStatus).reduce((a, b) => a + b, 0);
    return { total, active: s.byStatus.active ?? 0, newLast7Days: s.new7, newLast30Days: s.new30, byStatus: s.byStatus, byType: s.byType, topTags: s.topTags };
  }

  private async assertUnique(tenantId: string, email: string | null | undefined, externalId: string | null | undefined, selfId: string | null, m: EntityManager): Promise<void> {
    const existing = await this.repo.findByEmailOrExternalId(tenantId, email, externalId, m);
    if (existing && existing.id !== selfId) throw duplicateCustomer(existing, email, externalId);
  }

  /** A race past the pre-check lands on the unique index: answer 409 with the winner's id, as the pre-check would. */
  private async withConflictMapping<T>(work: () => Promise<T>, tenantId: string, email?: string | null, externalId?: string | null): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.repo.findByEmailOrExternalId(tenantId, email, externalId);
      if (existing) throw duplicateCustomer(existing, email, externalId);
      throw new AppError(ErrorCode.CONFLICT, 'The change conflicts with another record');
    }
  }

  private emit(name: string, payload: CustomerChangedEvent): void {
    this.events.emit(name, payload);
  }
}
