import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Length } from 'class-validator';

const normaliseTags = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? [...new Set((value as unknown[]).map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : t)))] : value;

/** addTags / removeTags of a profile_update event: the same rules as a customer's tags. */
export class ProfileTagsDto {
  @ApiPropertyOptional({ example: ['vip'], type: [String] })
  @IsOptional() @Transform(normaliseTags) @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 64, { each: true })
  addTags?: string[];

  @ApiPropertyOptional({ example: ['trial'], type: [String] })
  @IsOptional() @Transform(normaliseTags) @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 64, { each: true })
  removeTags?: string[];
}
