import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'crypto';
import { TransactionRunner } from '../../infra/database';
import { EVENT_INGESTED, EventIngestedEvent } from '../health-score';
import { SimulationRepository } from './simulation.repository';

/** The envelope the events module ingests (the fields the simulation uses). */
export interface ActivityEnvelope {
  id: string;
  type: 'usage' | 'login' | 'support_ticket';
  customerId: string;
  occurredAt: string;
  source: string;
  data: { apiCalls?: number; period?: string; ticketId?: string; subject?: string; severity?: string; status?: string };
}

/**
 * TEMPORARY stand-in for the events module's ingest path (EventsService), which is not on main yet.
 * It applies only the effects the health score reads (telemetry rows, support-ticket upserts) and then emits
 * `event.ingested` per customer and type, as the events module will. When the events module is merged, the lead
 * replaces the body of ingest() with a call to EventsService (one batch) and deletes SimulationRepository's inserts.
 */
@Injectable()
export class ActivityIngestService {
  constructor(
    private readonly repo: SimulationRepository,
    private readonly tx: TransactionRunner,
    private readonly events: EventEmitter2,
  ) {}

  async ingest(tenantId: string, envelopes: ActivityEnvelope[]): Promise<{ accepted: number }> {
    const telemetry = envelopes
      .filter((e) => e.type === 'usage' || e.type === 'login')
      .map((e) => ({ id: randomUUID(), tenantId, customerId: e.customerId, kind: e.type, quantity: e.type === 'usage' ? Math.trunc(e.data.apiCalls ?? 0) : 1, period: e.data.period ?? null, occurredAt: new Date(e.occurredAt), eventId: e.id }));
    const tickets = envelopes
      .filter((e) => e.type === 'support_ticket')
      .map((e) => ({ id: randomUUID(), tenantId, customerId: e.customerId, ticketId: e.data.ticketId!, subject: e.data.subject ?? '', severity: e.data.severity ?? 'low', status: e.data.status ?? 'open', openedAt: new Date(e.occurredAt) }));
    await this.tx.run(async (m) => {
      await this.repo.insertTelemetry(telemetry, m);
      await this.repo.upsertTickets(tickets, m);
    });
    const seen = new Set<string>();
    for (const e of envelopes) {
      const key = `${e.customerId}:${e.type}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const payload: EventIngestedEvent = { tenantId, customerId: e.customerId, type: e.type };
      this.events.emit(EVENT_INGESTED, payload);
    }
    return { accepted: envelopes.length };
  }
}
