import { CustomerEventDto, IngestResponseDto, IngestResultDto } from './dto/event.dto';
import { DeadLetterDto } from './dto/dead-letter.dto';
import { CustomerEvent } from './entities/customer-event.entity';
import { DeadLetter } from './entities/dead-letter.entity';
import { EventOutcome } from './ingest/ingest.types';

export function toEventDto(e: CustomerEvent): CustomerEventDto {
  return {
    id: e.id, key: e.eventKey, customerId: e.customerId, type: e.type, source: e.source, occurredAt: e.occurredAt, receivedAt: e.receivedAt,
    transport: e.transport, subject: e.subject, data: e.data,
  };
}

export function toDeadLetterDto(d: DeadLetter): DeadLetterDto {
  return {
    id: d.id, messageKey: d.messageKey, subject: d.subject, headers: d.headers, payload: d.payload, payloadEncoding: d.payloadEncoding,
    reason: d.reason, attempts: d.attempts, status: d.status, replayedEventId: d.replayedEventId, replayedAt: d.replayedAt, createdAt: d.createdAt,
  };
}

/** A storage failure answers as a rejection the caller may retry (the same id makes a retry safe). */
export function toIngestResult(o: EventOutcome, index: number): IngestResultDto {
  switch (o.status) {
    case 'accepted':
      return { index, status: 'accepted', eventId: o.eventId, customerId: o.customerId };
    case 'duplicate':
      return { index, status: 'duplicate', eventId: o.eventId };
    case 'rejected':
      return { index, status: 'rejected', error: { code: o.error.code, message: o.error.message, details: o.error.details } };
    default:
      return { index, status: 'rejected', error: { code: 'SERVICE_UNAVAILABLE', message: `The event could not be stored; retry: ${o.error}`, details: [] } };
  }
}

export function toIngestResponse(outcomes: EventOutcome[]): IngestResponseDto {
  const results = outcomes.map(toIngestResult);
  const count = (s: IngestResultDto['status']) => results.filter((r) => r.status === s).length;
  return { results, accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected') };
}
