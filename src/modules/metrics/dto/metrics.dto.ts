import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min, ValidateNested } from 'class-validator';
import { FREQUENCY_BANDS, FrequencyBand } from '../../../shared/customer-segments';

export class ClvDto {
  @ApiProperty({ example: 48500, description: 'Net revenue to date (minor units)' }) historicalMinor: number;
  @ApiProperty({ example: 16200, description: 'Expected net revenue of the next 12 months (minor units); method in docs/metrics.md' }) predicted12mMinor: number;
  @ApiProperty({ example: 3.24, description: 'Expected orders in the next 12 months' }) expectedOrders12m: number;
  @ApiProperty({ example: 'rate-recency-v1' }) model: string;
}

export class CustomerMetricsDto {
  @ApiProperty({ example: '0b8e7f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b' }) customerId: string;
  @ApiProperty({ example: 'USD', description: 'Tenant base currency (ISO 4217); all amounts are minor units of it' }) currency: string;
  @ApiProperty({ example: 48500, description: 'Net of refunds' }) totalSpentMinor: number;
  @ApiProperty({ example: 51000 }) grossSpentMinor: number;
  @ApiProperty({ example: 2500 }) refundedMinor: number;
  @ApiProperty({ example: 6, description: 'Orders not fully refunded' }) orderCount: number;
  @ApiProperty({ example: 8083, description: 'totalSpentMinor / orderCount, rounded; 0 without orders' }) averageOrderValueMinor: number;
  @ApiProperty({ example: '2025-02-10T09:00:00.000Z', nullable: true, type: Date }) firstPurchaseAt: Date | null;
  @ApiProperty({ example: '2026-11-01T17:30:00.000Z', nullable: true, type: Date }) lastPurchaseAt: Date | null;
  @ApiProperty({ example: 22, nullable: true, type: Number, description: 'Whole days, at read time' }) daysSinceLastPurchase: number | null;
  @ApiProperty({ example: true, description: '2 or more orders' }) isRepeat: boolean;
  @ApiProperty({ example: 4, description: 'Orders in the 365 days before computedAt' }) ordersLast365Days: number;
  @ApiProperty({ example: 'occasional', enum: FREQUENCY_BANDS, nullable: true }) frequencyBand: FrequencyBand | null;
  @ApiProperty({ type: ClvDto }) clv: ClvDto;
  @ApiProperty({ example: '2026-11-23T02:30:00.000Z', nullable: true, type: Date, description: 'When the aggregates were computed' }) computedAt: Date | null;
}

export class FrequencyThresholdsDto {
  @ApiProperty({ example: 2, description: 'Fewest orders in 365 days for occasional (one_time is 1)' })
  @IsInt() @Min(2) @Max(100000)
  occasional: number;

  @ApiProperty({ example: 5, description: 'Fewest orders in 365 days for regular' })
  @IsInt() @Min(3) @Max(100000)
  regular: number;

  @ApiProperty({ example: 12, description: 'Fewest orders in 365 days for frequent' })
  @IsInt() @Min(4) @Max(100000)
  frequent: number;
}

export class MetricsSettingsDto {
  @ApiProperty({ type: FrequencyThresholdsDto })
  @ValidateNested() @Type(() => FrequencyThresholdsDto)
  frequencyBands: FrequencyThresholdsDto;
}

export class RecomputeAcceptedDto {
  @ApiProperty({ example: 'purchase-metrics.17', description: 'Poll GET /api/v1/jobs/{jobId}' }) jobId: string;
  @ApiProperty({ example: 'waiting' }) state: string;
  @ApiProperty({ example: '/api/v1/jobs/purchase-metrics.17' }) statusUrl: string;
}
