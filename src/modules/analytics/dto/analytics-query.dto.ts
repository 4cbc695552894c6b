import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { toInt, toList } from '../../../infra/http/pagination.dto';

export const MAX_ANALYTICS_DAYS = 365;

export class DaysQueryDto {
  @ApiPropertyOptional({ example: 30, minimum: 1, maximum: MAX_ANALYTICS_DAYS, default: 30 })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(MAX_ANALYTICS_DAYS)
  days?: number;
}

export class IncidentsQueryDto extends DaysQueryDto {
  @ApiPropertyOptional({ example: 10, minimum: 1, maximum: 100, default: 10, description: 'How many top customers' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  limit?: number;
}

export class TopQueryDto {
  @ApiPropertyOptional({ example: 10, minimum: 1, maximum: 100, default: 10 })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  limit?: number;
}

export class CohortsQueryDto {
  @ApiPropertyOptional({ example: 'month', enum: ['month'], default: 'month' })
  @IsOptional() @IsIn(['month'])
  by?: 'month';

  @ApiPropertyOptional({ example: 12, minimum: 1, maximum: 36, default: 12, description: 'How many signup months back' })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(36)
  months?: number;
}

const toNumbers = (arg: { value: unknown }): unknown => {
  const list = toList(arg);
  return Array.isArray(list) ? (list as unknown[]).map((v) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v)) : list;
};

export class ClvQueryDto {
  @ApiPropertyOptional({ example: [50, 100, 250, 500, 1000], type: [Number], description: 'Ascending bucket edges in major units of the base currency' })
  @IsOptional() @Transform(toNumbers) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true }) @Min(0, { each: true })
  edges?: number[];
}
