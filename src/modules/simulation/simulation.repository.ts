import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSql } from '../../infra/database/raw-sql';

export const SIMULATION_SOURCE = 'simulation';

export interface TelemetryRow {
  id: string;
  tenantId: string;
  customerId: string;
  kind: string;
  quantity: number;
  period: string | null;
  occurredAt: Date;
  eventId: string;
}

export interface TicketRow {
  id: string;
  tenantId: string;
  customerId: string;
  ticketId: string;
  subject: string;
  severity: string;
  status: string;
  openedAt: Date;
}

const BATCH = 500;

/** Writes simulated activity (telemetry, support_tickets: tables owned by the events module, named here in SQL). */
@Injectable()
export class SimulationRepository {
  constructor(private readonly ds: DataSource) {}

  async insertTelemetry(rows: TelemetryRow[], m: EntityManager): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      const params: Record<string, unknown> = {};
      const values = rows.slice(i, i + BATCH).map((r, j) => {
        Object.assign(params, { [`i${j}`]: r.id, [`t${j}`]: r.tenantId, [`c${j}`]: r.customerId, [`k${j}`]: r.kind, [`q${j}`]: r.quantity, [`p${j}`]: r.period, [`o${j}`]: r.occurredAt, [`e${j}`]: r.eventId });
        return `(:i${j}, :t${j}, :c${j}, :k${j}, :q${j}, :p${j}, :o${j}, :e${j})`;
      });
      await runSql(m, `INSERT INTO telemetry (id, tenant_id, customer_id, kind, quantity, period, occurred_at, event_id) VALUES ${values.join(', ')}`, params);
    }
  }

  /** Upserts by (tenant, ticketId) (uq_support_tickets_tenant_ticket): a later event updates severity and status. */
  async upsertTickets(rows: TicketRow[], m: EntityManager): Promise<void> {
    const now = new Date();
    for (let i = 0; i < rows.length; i += BATCH) {
      const params: Record<string, unknown> = { now };
      const values = rows.slice(i, i + BATCH).map((r, j) => {
        Object.assign(params, { [`i${j}`]: r.id, [`t${j}`]: r.tenantId, [`c${j}`]: r.customerId, [`k${j}`]: r.ticketId, [`s${j}`]: r.subject.slice(0, 500), [`v${j}`]: r.severity, [`u${j}`]: r.status, [`o${j}`]: r.openedAt });
        return `(:i${j}, :t${j}, :c${j}, :k${j}, :s${j}, :v${j}, :u${j}, :o${j}, :now, :now)`;
      });
      await runSql(
        m,
        `INSERT INTO support_tickets (id, tenant_id, customer_id, ticket_id, subject, severity, status, opened_at, created_at, updated_at) VALUES ${values.join(', ')}
         ON CONFLICT (tenant_id, ticket_id) DO UPDATE SET severity = excluded.severity, status = excluded.status, subject = excluded.subject,
           updated_at = excluded.updated_at, closed_at = CASE WHEN excluded.status IN ('resolved', 'closed') THEN excluded.updated_at ELSE NULL END`,
        params,
      );
    }
  }

  /** Customers the simulation created (source = 'simulation'), oldest first. */
  async simulatedCustomerIds(tenantId: string, limit?: number): Promise<string[]> {
    const { rows } = await runSql<{ id: string }>(
      this.ds,
      `SELECT id FROM customers WHERE tenant_id = :tenantId AND source = :source AND deleted_at IS NULL ORDER BY created_at, id${limit ? ` LIMIT ${Math.trunc(limit)}` : ''}`,
      { tenantId, source: SIMULATION_SOURCE },
    );
    return rows.map((r) => r.id);
  }
}
