import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDefined, IsInt, IsObject, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { PageQueryDto, toInt } from '../../../infra/http/pagination.dto';
import type { SegmentRule } from '../segment-rule';

const RULE_EXAMPLE = {
  all: [
    { field: 'band', op: 'in', value: ['at_risk', 'critical'] },
    { any: [{ field: 'tags', op: 'contains', value: 'vip' }, { field: 'totalSpent', op: 'gte', value: 500 }] },
    { field: 'events', eventType: 'login', days: 30, op: 'lt', value: 3 },
  ],
};
const RULE_DESCRIPTION =
  'A group { all: [...] } or { any: [...] } of conditions { field, op, value } and nested groups (depth <= 10, <= 100 conditions). ' +
  'Fields: tags (contains, notContains, containsAny, containsAll), status, type, band, frequencyBand, tier (eq, neq, in, notIn), ' +
  'totalSpent and predictedClv (major units of the base currency), orderCount, healthScore (eq, neq, gt, gte, lt, lte, between), ' +
  'daysSinceLastPurchase (number operators, exists, notExists), attributes.<key> (eq, neq, in, notIn, gt, gte, lt, lte, exists, notExists), ' +
  'events with eventType (usage, login, support_ticket, purchase) and days (1..365) counting events in the last N days.';

export class CreateSegmentDto {
  @ApiProperty({ example: 'At-risk VIPs' }) @IsString() @Length(1, 120)
  name: string;

  @ApiPropertyOptional({ example: 'VIP or big spenders whose health is slipping', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500)
  description?: string | null;

  @ApiProperty({ example: RULE_EXAMPLE, description: RULE_DESCRIPTION, type: 'object', additionalProperties: true })
  @IsDefined() @IsObject()
  rule: SegmentRule;
}

export class UpdateSegmentDto {
  @ApiPropertyOptional({ example: 'At-risk VIPs' }) @IsOptional() @IsString() @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ example: 'VIP or big spenders whose health is slipping', nullable: true })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ example: RULE_EXAMPLE, description: RULE_DESCRIPTION, type: 'object', additionalProperties: true })
  @IsOptional() @IsObject()
  rule?: SegmentRule;
}

export class PreviewSegmentDto {
  @ApiProperty({ example: RULE_EXAMPLE, description: RULE_DESCRIPTION, type: 'object', additionalProperties: true })
  @IsDefined() @IsObject()
  rule: SegmentRule;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  limit?: number;
}

export class SegmentDto {
  @ApiProperty({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b' }) id: string;
  @ApiProperty({ example: 'At-risk VIPs' }) name: string;
  @ApiProperty({ example: 'VIP or big spenders whose health is slipping', nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: RULE_EXAMPLE, type: 'object', additionalProperties: true }) rule: SegmentRule;
  @ApiProperty({ example: 42, description: 'Current members' }) memberCount: number;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z', nullable: true, type: String, description: 'Last full membership evaluation' }) evaluatedAt: string | null;
  @ApiProperty({ example: '2026-11-20T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) updatedAt: string;
  @ApiPropertyOptional({ example: 'segments.12', description: 'The membership job started by this change' }) membershipJobId?: string;
}

export class SegmentListDto {
  @ApiProperty({ type: SegmentDto, isArray: true }) data: SegmentDto[];
}

export class SegmentCustomerDto {
  @ApiProperty({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b' }) id: string;
  @ApiProperty({ example: 'jane.doe@example.com', nullable: true, type: String }) email: string | null;
  @ApiProperty({ example: 'Jane', nullable: true, type: String }) firstName: string | null;
  @ApiProperty({ example: 'Doe', nullable: true, type: String }) lastName: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) companyName: string | null;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ example: 'individual' }) type: string;
}

export class SegmentPreviewDto {
  @ApiProperty({ example: 42, description: 'Customers the rule matches now' }) count: number;
  @ApiProperty({ type: SegmentCustomerDto, isArray: true, description: 'The newest matches, up to limit' }) data: SegmentCustomerDto[];
}

export class SegmentCustomersQueryDto extends PageQueryDto {}
