import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { PageInfoDto, PageQueryWithTotalDto, toBool, toInt, toList } from '../../../infra/http/pagination.dto';
import { FREQUENCY_BANDS, FrequencyBand, LOYALTY_TIERS, LoyaltyTier } from '../../../shared/customer-segments';
import { CUSTOMER_STATUSES, CUSTOMER_TYPES, CustomerStatus, CustomerType } from '../entities/customer.entity';
import { CustomerDto } from './customer.dto';

export const CUSTOMER_SORTS = ['createdAt', 'updatedAt', 'lastSeenAt', 'name', 'email', 'relevance', 'totalSpent', 'lastPurchaseAt', 'healthScore'] as const;
export const HEALTH_BAND_VALUES = ['healthy', 'at_risk', 'critical'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export class ListCustomersQueryDto extends PageQueryWithTotalDto {
  @ApiPropertyOptional({ example: 'jane', description:
      'Text search over name, email, phone, company and externalId; prefix and typo tolerant. Sorted by relevance unless sortBy is given; ' +
      'on PostgreSQL relevance ranks at most the first 100 matches that pass the other filters (a shorter query matching more should be refined, or sorted by a field to page through every match)',
  })
  @IsOptional() @IsString() @Length(1, 200)
  q?: string;

  @ApiPropertyOptional({ example: ['active'], enum: CUSTOMER_STATUSES, isArray: true })
  @IsOptional() @Transform(toList) @IsArray() @IsIn(CUSTOMER_STATUSES, { each: true })
  status?: CustomerStatus[];

  @ApiPropertyOptional({ example: ['individual'], enum: CUSTOMER_TYPES, isArray: true })
  @IsOptional() @Transform(toList) @IsArray() @IsIn(CUSTOMER_TYPES, { each: true })
  type?: CustomerType[];

  @ApiPropertyOptional({ example: ['vip', 'newsletter'], type: [String] })
  @IsOptional() @Transform(toList) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(64, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ example: 'any', enum: ['any', 'all'], default: 'any' })
  @IsOptional() @IsIn(['any', 'all'])
  tagsMode?: 'any' | 'all';

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' })
  @IsOptional() @IsISO8601()
  createdFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59Z' })
  @IsOptional() @IsISO8601()
  createdTo?: string;

  @ApiPropertyOptional({ example: '2026-10-01T00:00:00Z' })
  @IsOptional() @IsISO8601()
  lastSeenFrom?: string;

  @ApiPropertyOptional({ example: '2026-11-30T00:00:00Z' })
  @IsOptional() @IsISO8601()
  lastSeenTo?: string;

  @ApiPropertyOptional({ example: false })
  @IsOptional() @Transform(toBool) @IsBoolean()
  includeDeleted?: boolean;

  // Purchase metrics (applied by the metrics module; customers without purchases count as 0 spend / 0 orders).
  @ApiPropertyOptional({ example: 5000, description: 'Net spend at least this, in minor units of the tenant base currency (5000 = 50.00 USD)' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  totalSpentMin?: number;

  @ApiPropertyOptional({ example: 100000, description: 'Net spend at most this, in minor units of the tenant base currency' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER)
  totalSpentMax?: number;

  @ApiPropertyOptional({ example: 2, description: 'At least this many orders (fully refunded orders do not count)' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000000000)
  orderCountMin?: number;

  @ApiPropertyOptional({ example: true, description: 'true: 2 or more orders; false: 0 or 1' })
  @IsOptional() @Transform(toBool) @IsBoolean()
  isRepeat?: boolean;

  @ApiPropertyOptional({ example: ['regular', 'frequent'], enum: FREQUENCY_BANDS, isArray: true, description: 'Band by orders in the trailing 365 days' })
  @IsOptional() @Transform(toList) @IsArray() @IsIn(FREQUENCY_BANDS, { each: true })
  frequencyBand?: FrequencyBand[];

  @ApiPropertyOptional({ example: '2026-01-01T00:00:00Z' })
  @IsOptional() @IsISO8601()
  lastPurchaseFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-31T23:59:59Z' })
  @IsOptional() @IsISO8601()
  lastPurchaseTo?: string;

  // Loyalty (applied by the loyalty module).
  @ApiPropertyOptional({ example: ['gold', 'platinum'], enum: LOYALTY_TIERS, isArray: true, description: 'Current loyalty tier' })
  @IsOptional() @Transform(toList) @IsArray() @IsIn(LOYALTY_TIERS, { each: true })
  tier?: LoyaltyTier[];

  @ApiPropertyOptional({ example: 40, minimum: 0, maximum: 100, description: 'Current health score at least this' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100)
  healthMin?: number;

  @ApiPropertyOptional({ example: 69, minimum: 0, maximum: 100, description: 'Current health score at most this' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100)
  healthMax?: number;

  @ApiPropertyOptional({ example: ['at_risk', 'critical'], enum: HEALTH_BAND_VALUES, isArray: true, description: 'Current health band' })
  @IsOptional() @Transform(toList) @IsArray() @IsIn(HEALTH_BAND_VALUES, { each: true })
  band?: Array<(typeof HEALTH_BAND_VALUES)[number]>;

  @ApiPropertyOptional({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b', description: 'Only current members of this segment' })
  @IsOptional() @IsUUID()
  segmentId?: string;

  @ApiPropertyOptional({ example: 'createdAt', enum: CUSTOMER_SORTS, description: 'Default: relevance with q, else createdAt' })
  @IsOptional() @IsIn(CUSTOMER_SORTS)
  sortBy?: CustomerSort;

  @ApiPropertyOptional({ example: 'desc', enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional() @IsIn(['asc', 'desc'])
  sortOrder?: 'asc' | 'desc';
}

export class CustomerPageDto {
  @ApiProperty({ type: CustomerDto, isArray: true }) data: CustomerDto[];
  @ApiProperty({ type: PageInfoDto }) page: PageInfoDto;
}

export class CountByKeyDto {
  @ApiProperty({ example: 'active' }) key: string;
  @ApiProperty({ example: 120 }) count: number;
}

export class CustomerStatsDto {
  @ApiProperty({ example: 1200 }) total: number;
  @ApiProperty({ example: 1100 }) active: number;
  @ApiProperty({ example: 35 }) newLast7Days: number;
  @ApiProperty({ example: 140 }) newLast30Days: number;
  @ApiProperty({ example: { active: 1100, inactive: 90, blocked: 10 } }) byStatus: Record<string, number>;
  @ApiProperty({ example: { individual: 1000, business: 200 } }) byType: Record<string, number>;
  @ApiProperty({ type: CountByKeyDto, isArray: true, example: [{ key: 'vip', count: 40 }] }) topTags: CountByKeyDto[];
}
