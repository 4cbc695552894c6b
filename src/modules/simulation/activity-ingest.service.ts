import { Injectable } from '@nestjs/common';
import { EventIngestService } from '../events';

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
 * Simulated activity goes through the normal ingest path (the events module): events are stored, their effects
 * (telemetry, support tickets) applied, and `event.ingested` emitted, which triggers the health recompute.
 */
@Injectable()
export class ActivityIngestService {
  constructor(private readonly ingestService: EventIngestService) {}

  async ingest(tenantId: string, envelopes: ActivityEnvelope[]): Promise<{ accepted: number }> {
    const outcomes = await this.ingestService.ingestEnvelopes(
      tenantId,
      envelopes.map((e) => ({ id: e.id, type: e.type, customer_id: e.customerId, occurred_at: e.occurredAt, source: e.source, data: e.data })),
    );
    return { accepted: outcomes.filter((o) => o.status === 'accepted' || o.status === 'duplicate').length };
  }
}
