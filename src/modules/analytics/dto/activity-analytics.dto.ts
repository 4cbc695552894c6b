import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { DaysQueryDto } from './analytics-query.dto';

export class ActivityQueryDto extends DaysQueryDto {
  @ApiPropertyOptional({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b', description: 'One customer only (default: the whole tenant)' })
  @IsOptional() @IsUUID()
  customerId?: string;
}

export class UsageDayDto {
  @ApiProperty({ example: '2026-11-22', description: 'UTC day' }) day: string;
  @ApiProperty({ example: 1520, description: 'Sum of apiCalls of the usage events that day' }) apiCalls: number;
}

export class UsageDto {
  @ApiProperty({ example: 30 }) days: number;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'The customer asked for, or null for the whole tenant' }) customerId: string | null;
  @ApiProperty({ example: 45210 }) totalApiCalls: number;
  @ApiProperty({ type: UsageDayDto, isArray: true, description: 'One point per UTC day, oldest first, today last; days without usage are 0' }) data: UsageDayDto[];
}

export class LoginHeatmapDto {
  @ApiProperty({ example: 30 }) days: number;
  @ApiProperty({ example: null, nullable: true, type: String }) customerId: string | null;
  @ApiProperty({ example: 'UTC' }) timezone: string;
  @ApiProperty({ example: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], type: [String], description: 'Row labels of cells' }) weekdays: string[];
  @ApiProperty({ example: 812 }) total: number;
  @ApiProperty({ example: 14, description: 'The largest cell, for scaling a colour ramp' }) max: number;
  @ApiProperty({
    example: [[0, 0, 0, 0, 0, 0, 0, 2, 9, 14, 11, 8, 6, 7, 9, 10, 8, 5, 3, 1, 0, 0, 0, 0]],
    type: 'array', items: { type: 'array', items: { type: 'integer' } },
    description: '7 rows (Monday first) of 24 hourly login counts (UTC hours 0..23)',
  })
  cells: number[][];
}
