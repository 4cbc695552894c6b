import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import { bulkInsert } from '../../infra/database';
import { Contact } from './entities/contact.entity';
import { SupportTicket } from './entities/support-ticket.entity';
import { Telemetry } from './entities/telemetry.entity';
import { CLOSED_WORK_ORDER_STATUSES, WorkOrder } from './entities/work-order.entity';

const byKey = <T>(key: (r: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** The only place that touches TypeORM for support tickets, work orders, contacts and telemetry. */
@Injectable()
export class ActivityRepository {
  constructor(private readonly ds: DataSource) {}

  /** A hard-deleted customer's activity rows; each table's (tenant_id, customer_id, ...) index finds them. */
  async deleteForCustomer(tenantId: string, customerId: string, manager: EntityManager): Promise<void> {
    for (const entity of [Telemetry, Contact, SupportTicket, WorkOrder]) await manager.delete(entity, { tenantId, customerId });
  }

  /** Upsert by (tenant, ticketId) (uq_support_tickets_tenant_ticket); one row per ticket per call. */
  async upsertTickets(rows: Array<Omit<SupportTicket, 'createdAt' | 'updatedAt' | 'customer'>>, manager: EntityManager): Promise<void> {
    await bulkInsert(
      manager,
      {
        table: 'support_tickets',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'ticket_id', kind: 'text' },
          { name: 'subject', kind: 'text' }, { name: 'severity', kind: 'text' }, { name: 'status', kind: 'text' }, { name: 'opened_at', kind: 'timestamp' },
          { name: 'closed_at', kind: 'timestamp' },
        ],
        onConflict: {
          target: ['tenant_id', 'ticket_id'],
          set: { subject: 'excluded.subject', severity: 'excluded.severity', status: 'excluded.status', closed_at: 'excluded.closed_at', updated_at: 'CURRENT_TIMESTAMP' },
        },
      },
      [...rows].sort(byKey((r) => r.ticketId)).map((r) => ({
        id: r.id, tenant_id: r.tenantId, customer_id: r.customerId, ticket_id: r.ticketId, subject: r.subject, severity: r.severity, status: r.status,
        opened_at: r.openedAt, closed_at: r.closedAt,
      })),
    );
  }

  /** Upsert by (tenant, workOrderId) (uq_work_orders_tenant_order); fields an event leaves out keep their value. */
  async upsertWorkOrders(rows: Array<Omit<WorkOrder, 'createdAt' | 'updatedAt' | 'customer'>>, manager: EntityManager): Promise<void> {
    const keep = (c: string) => `COALESCE(excluded.${c}, work_orders.${c})`;
    await bulkInsert(
      manager,
      {
        table: 'work_orders',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'work_order_id', kind: 'text' },
          { name: 'status', kind: 'text' }, { name: 'description', kind: 'text' }, { name: 'cost_minor', kind: 'bigint' }, { name: 'currency', kind: 'text' },
          { name: 'scheduled_at', kind: 'timestamp' }, { name: 'completed_at', kind: 'timestamp' }, { name: 'opened_at', kind: 'timestamp' },
        ],
        onConflict: {
          target: ['tenant_id', 'work_order_id'],
          set: {
            status: 'excluded.status', description: keep('description'), cost_minor: keep('cost_minor'), currency: keep('currency'),
            scheduled_at: keep('scheduled_at'), completed_at: keep('completed_at'), updated_at: 'CURRENT_TIMESTAMP',
          },
        },
      },
      [...rows].sort(byKey((r) => r.workOrderId)).map((r) => ({
        id: r.id, tenant_id: r.tenantId, customer_id: r.customerId, work_order_id: r.workOrderId, status: r.status, description: r.description,
        cost_minor: r.costMinor, currency: r.currency, scheduled_at: r.scheduledAt, completed_at: r.completedAt, opened_at: r.openedAt,
      })),
    );
  }

  async insertContacts(rows: Array<Omit<Contact, 'customer'>>, manager: EntityManager): Promise<void> {
    await bulkInsert(
      manager,
      {
        table: 'contacts',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'channel', kind: 'text' },
          { name: 'direction', kind: 'text' }, { name: 'summary', kind: 'text' }, { name: 'occurred_at', kind: 'timestamp' }, { name: 'event_id', kind: 'uuid' },
        ],
        onConflict: 'ignore',
      },
      rows.map((r) => ({
        id: r.id, tenant_id: r.tenantId, customer_id: r.customerId, channel: r.channel, direction: r.direction, summary: r.summary,
        occurred_at: r.occurredAt, event_id: r.eventId,
      })),
    );
  }

  async insertTelemetry(rows: Array<Omit<Telemetry, 'customer'>>, manager: EntityManager): Promise<void> {
    await bulkInsert(
      manager,
      {
        table: 'telemetry',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'kind', kind: 'text' },
          { name: 'quantity', kind: 'int' }, { name: 'period', kind: 'text' }, { name: 'occurred_at', kind: 'timestamp' }, { name: 'event_id', kind: 'uuid' },
        ],
        onConflict: 'ignore',
      },
      rows.map((r) => ({
        id: r.id, tenant_id: r.tenantId, customer_id: r.customerId, kind: r.kind, quantity: r.quantity, period: r.period, occurred_at: r.occurredAt,
        event_id: r.eventId,
      })),
    );
  }

  /** ix_support_tickets_customer_opened */
  openTickets(tenantId: string, customerId: string, limit: number): Promise<SupportTicket[]> {
    return this.ds.manager.find(SupportTicket, {
      where: { tenantId, customerId, status: In(['open', 'pending']) },
      order: { openedAt: 'DESC', id: 'DESC' },
      take: limit,
    });
  }

  /** ix_work_orders_customer_opened: open ones first, then the latest closed. */
  async workOrders(tenantId: string, customerId: string, limit: number): Promise<WorkOrder[]> {
    const closed = [...CLOSED_WORK_ORDER_STATUSES] as string[];
    const open = await this.ds.manager.find(WorkOrder, { where: { tenantId, customerId, status: Not(In(closed)) }, order: { openedAt: 'DESC', id: 'DESC' }, take: limit });
    if (open.length >= limit) return open;
    const done = await this.ds.manager.find(WorkOrder, { where: { tenantId, customerId, status: In(closed) }, order: { openedAt: 'DESC', id: 'DESC' }, take: limit - open.length });
    return [...open, ...done];
  }
}
