import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { PageInfoDto, PageQueryDto, toList } from '../../../infra/http';
import { EVENT_TYPES } from '../entities/customer-event.entity';

export const TIMELINE_TYPES = [...EVENT_TYPES.filter((t) => t !== 'note'), 'note', 'profile_change'] as const;

export class TimelineQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: ['purchase', 'note'], enum: TIMELINE_TYPES, isArray: true, description: 'Event types, note, profile_change' })
  @IsOptional() @Transform(toList) @IsArray() @ArrayMaxSize(20) @IsIn(TIMELINE_TYPES, { each: true })
  type?: string[];
}

export class TimelineItemDto {
  @ApiProperty({ example: 'event', enum: ['event', 'note', 'profile_change'] }) kind: 'event' | 'note' | 'profile_change';
  @ApiProperty({ example: '7d0c1c8e-3f5e-4a57-b1f6-2f3f8a1e2c11' }) id: string;
  @ApiProperty({ example: 'purchase', description: 'Event type, note or profile_change' }) type: string;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) at: Date;
  @ApiProperty({ example: 'Purchase o-1001: 49.99 USD' }) summary: string;
  @ApiProperty({ example: { orderId: 'o-1001', amount: 49.99, currency: 'USD' } }) data: Record<string, unknown>;
}

export class TimelinePageDto {
  @ApiProperty({ type: [TimelineItemDto] }) data: TimelineItemDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}
