import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class EventStreamQueryDto {
  @ApiPropertyOptional({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b', description: 'Only this customer\'s events (default: every event of the tenant)' })
  @IsOptional() @IsUUID()
  customerId?: string;
}

/** The data line of one `event.ingested` message on the stream. */
export class LiveEventDto {
  @ApiProperty({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b' }) customerId: string;
  @ApiProperty({ example: '7d0c1c8e-3f5e-4a57-b1f6-2f3f8a1e2c11' }) eventId: string;
  @ApiProperty({ example: 'purchase' }) type: string;
  @ApiProperty({ example: '2026-11-01T10:00:00.000Z' }) occurredAt: string;
}
