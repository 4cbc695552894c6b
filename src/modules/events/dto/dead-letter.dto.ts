import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageInfoDto, PageQueryDto } from '../../../infra/http';
import { DEAD_LETTER_STATUSES, DeadLetterStatus } from '../entities/dead-letter.entity';
import { IngestErrorDto } from './event.dto';

export class DeadLetterDto {
  @ApiProperty({ example: '5a7d9c1e-0f4b-4c3a-9e21-7b8f6d5c4a33' }) id: string;
  @ApiProperty({ example: 'CUSTOMER_EVENTS:1234', description: '<stream>:<sequence>' }) messageKey: string;
  @ApiProperty({ example: 'customer.events.demo.pos-000123.purchase', nullable: true, type: String }) subject: string | null;
  @ApiProperty({ example: { 'Nats-Msg-Id': ['pos-2026-000123'] }, nullable: true, type: Object }) headers: Record<string, string[]> | null;
  @ApiProperty({ example: '{"data":{"orderId":"o-1","amount":"12,50"}}', description: 'The raw body (base64 when payloadEncoding is base64)' }) payload: string;
  @ApiProperty({ example: 'utf8', enum: ['utf8', 'base64'] }) payloadEncoding: 'utf8' | 'base64';
  @ApiProperty({ example: '[VALIDATION_FAILED] data.amount: must be a number' }) reason: string;
  @ApiProperty({ example: 1 }) attempts: number;
  @ApiProperty({ example: 'pending', enum: DEAD_LETTER_STATUSES }) status: DeadLetterStatus;
  @ApiProperty({ example: null, nullable: true, type: String }) replayedEventId: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) replayedAt: Date | null;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) createdAt: Date;
}

export class DeadLetterPageDto {
  @ApiProperty({ type: [DeadLetterDto] }) data: DeadLetterDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}

export class ListDeadLettersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'pending', enum: DEAD_LETTER_STATUSES })
  @IsOptional() @IsIn(DEAD_LETTER_STATUSES)
  status?: DeadLetterStatus;
}

export class ReplayResultDto {
  @ApiProperty({ example: 'accepted', enum: ['accepted', 'duplicate', 'rejected'] }) status: 'accepted' | 'duplicate' | 'rejected';
  @ApiPropertyOptional({ example: '7d0c1c8e-3f5e-4a57-b1f6-2f3f8a1e2c11', nullable: true, type: String }) eventId?: string | null;
  @ApiPropertyOptional({ type: IngestErrorDto }) error?: IngestErrorDto;
  @ApiProperty({ type: DeadLetterDto }) deadLetter: DeadLetterDto;
}
