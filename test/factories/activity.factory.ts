import { randomUUID } from 'crypto';
import { ActivityEnvelope, ActivityIngestService } from '../../src/modules/simulation';
import type { TestApp } from '../support/test-app';

const ago = (days: number, now = Date.now()) => new Date(now - days * 86_400_000).toISOString();

export const usage = (customerId: string, apiCalls: number, daysAgo = 1): ActivityEnvelope => ({
  id: randomUUID(), type: 'usage', customerId, occurredAt: ago(daysAgo), source: 'test', data: { apiCalls },
});
export const login = (customerId: string, daysAgo = 1): ActivityEnvelope => ({
  id: randomUUID(), type: 'login', customerId, occurredAt: ago(daysAgo), source: 'test', data: {},
});
export const logins = (customerId: string, n: number, daysAgo = 1): ActivityEnvelope[] => Array.from({ length: n }, () => login(customerId, daysAgo));
export const ticket = (customerId: string, severity: 'low' | 'medium' | 'high' | 'critical', daysAgo = 1, status = 'open'): ActivityEnvelope => ({
  id: randomUUID(), type: 'support_ticket', customerId, occurredAt: ago(daysAgo), source: 'test',
  data: { ticketId: `T-${randomUUID().slice(0, 8)}`, subject: `${severity} problem`, severity, status },
});

/** Writes activity through the ingest path the simulation uses (the events module's, once merged). */
export function ingest(t: TestApp, tenantId: string, envelopes: ActivityEnvelope[]): Promise<unknown> {
  return t.app.get(ActivityIngestService).ingest(tenantId, envelopes);
}
