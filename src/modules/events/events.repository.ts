import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { bulkInsert } from '../../infra/database';
import { CustomerEvent, EventType } from './entities/customer-event.entity';

export type NewEventRow = Pick<CustomerEvent, 'id' | 'tenantId' | 'customerId' | 'eventKey' | 'type' | 'source' | 'occurredAt' | 'data' | 'transport' | 'subject'>;

export interface EventListFilter {
  customerId?: string;
  types?: string[];
  from?: Date;
  to?: Date;
  /** Strictly older than this (occurredAt desc, id desc). */
  before?: { at: Date; id: string } | null;
  limit: number;
}

/** The only place that touches TypeORM for customer_events. */
@Injectable()
export class EventsRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  /** A hard-deleted customer's events (ix_customer_events_customer_time). */
  async deleteForCustomer(tenantId: string, customerId: string, manager: EntityManager): Promise<void> {
    await manager.delete(CustomerEvent, { tenantId, customerId });
  }

  /** Inserts the events whose (tenant, key) is new (uq_customer_events_tenant_key); returns the ids inserted. */
  async insertNew(rows: NewEventRow[], manager: EntityManager): Promise<Set<string>> {
    // Key order, so concurrent batches carrying the same keys (redeliveries) take index entries in the same order.
    const sorted = [...rows].sort((a, b) => (a.eventKey < b.eventKey ? -1 : a.eventKey > b.eventKey ? 1 : 0));
    const inserted = await bulkInsert<{ id: string }>(
      manager,
      {
        table: 'customer_events',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'event_key', kind: 'text' },
          { name: 'type', kind: 'text' }, { name: 'source', kind: 'text' }, { name: 'occurred_at', kind: 'timestamp' }, { name: 'data', kind: 'jsonDocument' },
          { name: 'transport', kind: 'text' }, { name: 'subject', kind: 'text' },
        ],
        onConflict: 'ignore',
        returning: ['id'],
      },
      sorted.map((r) => ({
        id: r.id, tenant_id: r.tenantId, customer_id: r.customerId, event_key: r.eventKey, type: r.type, source: r.source, occurred_at: r.occurredAt,
        data: r.data, transport: r.transport, subject: r.subject,
      })),
    );
    return new Set(inserted.map((r) => r.id));
  }

  /** Stored event ids for these keys (to tell a duplicate sender which event it repeated). */
  async idsByKeys(tenantId: string, keys: string[], manager?: EntityManager): Promise<Map<string, string>> {
    if (!keys.length) return new Map();
    const rows = await this.m(manager).find(CustomerEvent, { select: { id: true, eventKey: true }, where: { tenantId, eventKey: In(keys) } });
    return new Map(rows.map((r) => [r.eventKey, r.id]));
  }

  async deleteByIds(ids: string[], manager: EntityManager): Promise<void> {
    if (ids.length) await manager.delete(CustomerEvent, { id: In(ids) });
  }

  findById(tenantId: string, id: string): Promise<CustomerEvent | null> {
    return this.ds.manager.findOne(CustomerEvent, { where: { tenantId, id } });
  }

  /** ix_customer_events_customer_time with a customer, else ix_customer_events_tenant_time. */
  list(tenantId: string, f: EventListFilter): Promise<CustomerEvent[]> {
    const qb = this.ds.manager.createQueryBuilder(CustomerEvent, 'e').where('e.tenant_id = :tenantId', { tenantId });
    if (f.customerId) qb.andWhere('e.customer_id = :customerId', { customerId: f.customerId });
    if (f.types?.length) qb.andWhere('e.type IN (:...types)', { types: f.types as EventType[] });
    if (f.from) qb.andWhere('e.occurred_at >= :from', { from: f.from });
    if (f.to) qb.andWhere('e.occurred_at <= :to', { to: f.to });
    if (f.before) qb.andWhere('(e.occurred_at < :bAt OR (e.occurred_at = :bAt AND e.id < :bId))', { bAt: f.before.at, bId: f.before.id });
    return qb.orderBy('e.occurred_at', 'DESC').addOrderBy('e.id', 'DESC').limit(f.limit).getMany();
  }
}
