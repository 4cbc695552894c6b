import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
export const toBool = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;
/** Accepts a=1&a=2 and a=1,2 alike. */
export const toList = ({ value }: { value: unknown }): unknown =>
  (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : value) as unknown;

/** limit (1..100, default 20) and an opaque cursor; huge pages are refused, not clamped. */
export class PageQueryDto {
  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ example: 'eyJ2IjoiMjAyNi0wMS0wMVQwMDowMDowMC4wMDBaIiwiaWQiOiIuLi4ifQ', description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @MaxLength(1000)
  cursor?: string;
}

export class PageQueryWithTotalDto extends PageQueryDto {
  @ApiPropertyOptional({ example: false, description: 'Also count all matches (slower)' })
  @IsOptional() @Transform(toBool) @IsBoolean()
  withTotal?: boolean;
}

export class PageInfoDto {
  @ApiPropertyOptional({ example: 20 })
  limit: number;
  @ApiPropertyOptional({ example: 'eyJ2Ijo...', nullable: true, type: String })
  nextCursor: string | null;
  @ApiPropertyOptional({ example: 1234 })
  total?: number;
}
