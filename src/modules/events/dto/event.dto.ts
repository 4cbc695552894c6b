import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsUUID } from 'class-validator';
import { PageInfoDto, PageQueryDto, toList } from '../../../infra/http';
import { EVENT_TRANSPORTS, EVENT_TYPES, EventTransport, EventType } from '../entities/customer-event.entity';

/** The event envelope (documentation of POST /events; snake_case or camelCase keys). */
export class EventEnvelopeDto {
  @ApiPropertyOptional({ example: 'pos-2026-000123', description: 'Your id for the event: a repeat with the same id is a duplicate' })
  id?: string;

  @ApiPropertyOptional({ example: 'purchase', enum: [...EVENT_TYPES, 'repair', 'observation'], description: 'Required unless the NATS subject names it' })
  type?: string;

  @ApiPropertyOptional({ example: 'pos-000123', description: 'Our customer id (UUID, must exist) or your reference (externalId; created on first sight)' })
  customer_id?: string;

  @ApiPropertyOptional({ example: 'jane.doe@example.com', description: 'Without customer_id: matches a customer by email or creates one' })
  email?: string;

  @ApiPropertyOptional({ example: '2026-11-01T10:00:00Z', description: 'ISO 8601; default now; at most one day ahead' })
  occurred_at?: string;

  @ApiPropertyOptional({ example: 'pos' })
  source?: string;

  @ApiProperty({
    example: { orderId: 'o-1001', amount: 49.99, currency: 'USD', items: [{ sku: 'MUG-1', name: 'Mug', quantity: 1, unitPrice: 49.99 }], channel: 'store' },
    description:
      'By type: purchase {orderId, amount, currency?, items?, channel?}; refund {orderId, amount}; support_ticket {ticketId, subject, severity, status}; ' +
      'work_order|repair {workOrderId, status, description?, cost?, scheduledAt?, completedAt?}; contact {channel, direction, summary?}; ' +
      'profile_update {fields?, addTags?, removeTags?}; note|observation {text, noteType?}; usage {apiCalls, period?}; login {}; custom {name, properties?}',
  })
  data: Record<string, unknown>;
}

export class IngestEventsDto {
  @ApiProperty({ type: [EventEnvelopeDto], maxItems: 1000 })
  events: EventEnvelopeDto[];
}

export class IngestErrorDto {
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code: string;
  @ApiProperty({ example: 'data.amount: must be a number' }) message: string;
  @ApiProperty({ example: [{ field: 'data.amount', message: 'must be a number' }] }) details: unknown;
}

export class IngestResultDto {
  @ApiProperty({ example: 0 }) index: number;
  @ApiProperty({ example: 'accepted', enum: ['accepted', 'duplicate', 'rejected'] }) status: 'accepted' | 'duplicate' | 'rejected';
  @ApiPropertyOptional({ example: '7d0c1c8e-3f5e-4a57-b1f6-2f3f8a1e2c11', nullable: true, type: String, description: 'The stored event (for a duplicate: the one it repeats)' })
  eventId?: string | null;
  @ApiPropertyOptional({ example: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' }) customerId?: string;
  @ApiPropertyOptional({ type: IngestErrorDto }) error?: IngestErrorDto;
}

export class IngestResponseDto {
  @ApiProperty({ type: [IngestResultDto] }) results: IngestResultDto[];
  @ApiProperty({ example: 1 }) accepted: number;
  @ApiProperty({ example: 0 }) duplicates: number;
  @ApiProperty({ example: 0 }) rejected: number;
}

export class CustomerEventDto {
  @ApiProperty({ example: '7d0c1c8e-3f5e-4a57-b1f6-2f3f8a1e2c11' }) id: string;
  @ApiProperty({ example: 'pos-2026-000123', description: 'Identity used for de-duplication' }) key: string;
  @ApiProperty({ example: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' }) customerId: string;
  @ApiProperty({ example: 'purchase', enum: EVENT_TYPES }) type: EventType;
  @ApiProperty({ example: 'pos', nullable: true, type: String }) source: string | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) occurredAt: Date;
  @ApiProperty({ example: '2026-11-01T10:00:01.000Z' }) receivedAt: Date;
  @ApiProperty({ example: 'nats', enum: EVENT_TRANSPORTS }) transport: EventTransport;
  @ApiProperty({ example: 'customer.events.demo.pos-000123.purchase', nullable: true, type: String }) subject: string | null;
  @ApiProperty({ example: { orderId: 'o-1001', amount: 49.99, currency: 'USD' } }) data: Record<string, unknown>;
}

export class CustomerEventPageDto {
  @ApiProperty({ type: [CustomerEventDto] }) data: CustomerEventDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}

export class ListEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '0b8f6f0e-3c4a-4a39-9d0c-5b2e8d7f1a20' })
  @IsOptional() @IsUUID()
  customerId?: string;

  @ApiPropertyOptional({ example: ['purchase', 'refund'], enum: EVENT_TYPES, isArray: true, description: 'One or more types (a,b or repeated)' })
  @IsOptional() @Transform(toList) @IsArray() @ArrayMaxSize(20) @IsIn(EVENT_TYPES, { each: true })
  type?: EventType[];

  @ApiPropertyOptional({ example: '2026-10-01T00:00:00Z', description: 'occurredAt >= from' })
  @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'occurredAt <= to' })
  @IsOptional() @IsISO8601({ strict: true })
  to?: string;
}
