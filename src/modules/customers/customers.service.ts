import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { EntityManager } from 'typeorm';
import { isUniqueViolation, TransactionRunner } from '../../infra/database';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Page } from '../../shared/cursor';
import { searchTextOf } from './customer-search';
import { CustomerFilterClause, CustomersRepository } from './customers.repository';
import { CreateCustomerDto, UpdateCustomerDto } from './dto/customer.dto';
import { CustomerStatsDto, ListCustomersQueryDto } from './dto/list-customers.dto';
import { Customer } from './entities/customer.entity';
import { CUSTOMER_EVENTS, CustomerChangedEvent, CustomerFieldChanges } from './customer.events';

const TRACKED_FIELDS = ['externalId', 'email', 'phone', 'firstName', 'lastName', 'companyName', 'type', 'status', 'tags', 'attributes', 'source', 'lastSeenAt'] as const;

export function normalisePhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const parsed = parsePhoneNumberFromString(phone);
  if (!parsed?.isValid()) throw AppError.validation('phone', 'must be a valid phone number with a country code, e.g. +14155550123');
  return parsed.number;
}

/** Customer profiles: the rules for creating, changing, finding and removing them. */
@Injectable()
export class CustomersService {
  /** Filters other modules add to GET /customers (spend, tier, health, segment...). */
  private readonly filterProviders: Array<(tenantId: string, query: Record<string, unknown>) => CustomerFilterClause[]> = [];

  constructor(
    private readonly repo: CustomersRepository,
    private readonly tx: TransactionRunner,
    private readonly events: EventEmitter2,
  ) {}

  registerListFilter(provider: (tenantId: string, query: Record<string, unknown>) => CustomerFilterClause[]): void {
    this.filterProviders.push(provider);
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
    const work = async (m: EntityManager) => {
      const current = await this.repo.findById(tenantId, id, { manager: m });
      if (!current) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', id);
      const expected = ifMatch ?? dto.version ?? current.version;
      if (expected !== current.version) throw this.staleVersion(id, expected, current.version);
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
        throw this.staleVersion(id, expected, latest?.version ?? current.version);
      }
      if ('tags' in changes) await this.repo.replaceTags(tenantId, id, next.tags, m);
      return { customer: (await this.repo.findById(tenantId, id, { manager: m }))!, changes };
    };
    const result = await this.withConflictMapping(() => (manager ? work(manager) : this.tx.run(work)), tenantId, dto.email, dto.externalId);
    if (Object.keys(result.changes).length) {
      this.emit(CUSTOMER_EVENTS.updated, { tenantId, customerId: id, customer: result.customer, changes: result.changes });
    }
    return result.customer;
  }

  async softDelete(tenantId: string, id: string): Promise<void> {
    const c = await this.get(tenantId, id);
    await this.repo.setDeletedAt(tenantId, id, new Date());
    this.emit(CUSTOMER_EVENTS.deleted, { tenantId, customerId: id, customer: c, changes: {}, hard: false });
  }

  async hardDelete(tenantId: string, id: string): Promise<void> {
    const c = await this.repo.findById(tenantId, id, { withDeleted: true });
    if (!c) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', id);
    await this.repo.hardDelete(tenantId, id);
    this.emit(CUSTOMER_EVENTS.deleted, { tenantId, customerId: id, customer: c, changes: {}, hard: true });
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
    const extra = this.filterProviders.flatMap((p) => p(tenantId, query as unknown as Record<string, unknown>));
    const r = await this.repo.list(tenantId, query, extra);
    return { data: r.rows, page: { limit: query.limit ?? 20, nextCursor: r.nextCursor, ...(r.total !== undefined ? { total: r.total } : {}) } };
  }

  async stats(tenantId: string, now = new Date()): Promise<CustomerStatsDto> {
    const s = await this.repo.stats(tenantId, now);
    const total = Object.values(s.byStatus).reduce((a, b) => a + b, 0);
    return { total, active: s.byStatus.active ?? 0, newLast7Days: s.new7, newLast30Days: s.new30, byStatus: s.byStatus, byType: s.byType, topTags: s.topTags };
  }

  private async assertUnique(tenantId: string, email: string | null | undefined, externalId: string | null | undefined, selfId: string | null, m: EntityManager): Promise<void> {
    const existing = await this.repo.findByEmailOrExternalId(tenantId, email, externalId, m);
    if (existing && existing.id !== selfId) throw this.duplicate(existing, email, externalId);
  }

  private duplicate(existing: Customer, email: string | null | undefined, externalId: string | null | undefined): AppError {
    const field = email && existing.email === email ? 'email' : 'externalId';
    const value = field === 'email' ? email : externalId;
    return new AppError(ErrorCode.CUSTOMER_EXISTS, `A customer with this ${field} already exists`, {
      field,
      value,
      existingId: existing.id,
      deleted: existing.deletedAt !== null,
    });
  }

  /** A race past the pre-check lands on the unique index: answer 409 with the winner's id, as the pre-check would. */
  private async withConflictMapping<T>(work: () => Promise<T>, tenantId: string, email?: string | null, externalId?: string | null): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const existing = await this.repo.findByEmailOrExternalId(tenantId, email, externalId);
      if (existing) throw this.duplicate(existing, email, externalId);
      throw new AppError(ErrorCode.CONFLICT, 'The change conflicts with another record');
    }
  }

  private staleVersion(id: string, expected: number, current: number): AppError {
    return new AppError(ErrorCode.VERSION_CONFLICT, `Customer ${id} was changed by someone else (you sent version ${expected}, it is at ${current})`, {
      expectedVersion: expected,
      currentVersion: current,
    });
  }

  private emit(name: string, payload: CustomerChangedEvent): void {
    this.events.emit(name, payload);
  }
}

function diff(current: Customer, patch: Partial<Customer>): CustomerFieldChanges {
  const changes: CustomerFieldChanges = {};
  for (const key of TRACKED_FIELDS) {
    if (!(key in patch)) continue;
    const from = current[key];
    const to = patch[key];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}
