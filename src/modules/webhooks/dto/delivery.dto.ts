import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageInfoDto, PageQueryDto, toList } from '../../../infra/http/pagination.dto';
import { DELIVERY_STATUSES, DeliveryStatus } from '../entities/webhook-delivery.entity';

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: ['failed', 'retrying'], enum: DELIVERY_STATUSES, isArray: true })
  @IsOptional() @Transform(toList) @IsIn(DELIVERY_STATUSES, { each: true })
  status?: DeliveryStatus[];

  @ApiPropertyOptional({ example: '1d6f2c0e-5a7b-4c3d-9e8f-0a1b2c3d4e5f', description: 'X-CustomerIQ-Event-Id' })
  @IsOptional() @IsUUID()
  eventId?: string;
}

export class DeliveryDto {
  @ApiProperty({ example: '9a1f...' }) id: string;
  @ApiProperty({ example: '1d6f2c0e-5a7b-4c3d-9e8f-0a1b2c3d4e5f', description: 'X-CustomerIQ-Event-Id, the same on every attempt' }) eventId: string;
  @ApiProperty({ example: 'customer.created' }) eventType: string;
  @ApiProperty({ example: 'retrying', enum: DELIVERY_STATUSES }) status: string;
  @ApiProperty({ example: 2 }) attempts: number;
  @ApiProperty({ example: 8 }) maxAttempts: number;
  @ApiProperty({ example: 500, nullable: true, type: Number }) responseStatus: number | null;
  @ApiProperty({ example: 132, nullable: true, type: Number, description: 'Milliseconds the last attempt took' }) responseTimeMs: number | null;
  @ApiProperty({ example: 'HTTP 500: oops', nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ example: '2026-11-23T10:04:00.000Z', nullable: true, type: Date }) nextAttemptAt: Date | null;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z', nullable: true, type: Date }) lastAttemptAt: Date | null;
  @ApiProperty({ example: null, nullable: true, type: Date }) deliveredAt: Date | null;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) createdAt: Date;
}

export class DeliveryDetailDto extends DeliveryDto {
  @ApiProperty({ example: { id: '1d6f...', type: 'customer.created', createdAt: '2026-11-23T10:00:00.000Z', tenantId: '...', data: {} }, description: 'The exact body sent' })
  body: Record<string, unknown>;
}

export class DeliveryPageDto {
  @ApiProperty({ type: [DeliveryDto] }) data: DeliveryDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}
