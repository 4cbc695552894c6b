import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsNumber, Max, Min, ValidateNested } from 'class-validator';
import { MAX_WINDOW_DAYS } from '../health-score.model';

export class HealthWeightsDto {
  @ApiProperty({ example: 0.4, minimum: 0, maximum: 1 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  usage: number;
  @ApiProperty({ example: 0.3, minimum: 0, maximum: 1 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  engagement: number;
  @ApiProperty({ example: 0.3, minimum: 0, maximum: 1 }) @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1)
  incidents: number;
}

export class HealthTargetsDto {
  @ApiProperty({ example: 5000, minimum: 1, description: 'API calls in the window that earn the full usage component' })
  @IsInt() @Min(1, { message: 'must be a positive whole number' }) @Max(1_000_000_000)
  apiCalls: number;
  @ApiProperty({ example: 30, minimum: 1, description: 'Logins in the window that earn the full engagement component' })
  @IsInt() @Min(1, { message: 'must be a positive whole number' }) @Max(1_000_000)
  logins: number;
}

export class HealthPenaltiesDto {
  @ApiProperty({ example: 25, minimum: 0, maximum: 100 }) @IsInt() @Min(0) @Max(100)
  critical: number;
  @ApiProperty({ example: 15, minimum: 0, maximum: 100 }) @IsInt() @Min(0) @Max(100)
  high: number;
  @ApiProperty({ example: 8, minimum: 0, maximum: 100 }) @IsInt() @Min(0) @Max(100)
  medium: number;
  @ApiProperty({ example: 3, minimum: 0, maximum: 100 }) @IsInt() @Min(0) @Max(100)
  low: number;
}

export class HealthBandsDto {
  @ApiProperty({ example: 70, minimum: 1, maximum: 100, description: 'Lowest score that is healthy' }) @IsInt() @Min(1) @Max(100)
  healthy: number;
  @ApiProperty({ example: 40, minimum: 0, maximum: 99, description: 'Lowest score that is at_risk; below is critical' }) @IsInt() @Min(0) @Max(99)
  atRisk: number;
}

/** PUT /health-score/config: the whole model; it becomes a new version. */
export class UpdateHealthConfigDto {
  @ApiProperty({ type: HealthWeightsDto, description: 'Must sum to 1' }) @IsDefined() @ValidateNested() @Type(() => HealthWeightsDto)
  weights: HealthWeightsDto;
  @ApiProperty({ type: HealthTargetsDto }) @IsDefined() @ValidateNested() @Type(() => HealthTargetsDto)
  targets: HealthTargetsDto;
  @ApiProperty({ type: HealthPenaltiesDto, description: 'Points off the incidents component per ticket opened in the window' })
  @IsDefined() @ValidateNested() @Type(() => HealthPenaltiesDto)
  penalties: HealthPenaltiesDto;
  @ApiProperty({ example: 30, minimum: 1, maximum: MAX_WINDOW_DAYS }) @IsInt() @Min(1) @Max(MAX_WINDOW_DAYS)
  windowDays: number;
  @ApiProperty({ type: HealthBandsDto }) @IsDefined() @ValidateNested() @Type(() => HealthBandsDto)
  bands: HealthBandsDto;
}

export class HealthConfigDto {
  @ApiProperty({ example: 3, description: 'Every change makes a new version; scores name the version they used' }) version: number;
  @ApiProperty({ type: HealthWeightsDto }) weights: HealthWeightsDto;
  @ApiProperty({ type: HealthTargetsDto }) targets: HealthTargetsDto;
  @ApiProperty({ type: HealthPenaltiesDto }) penalties: HealthPenaltiesDto;
  @ApiProperty({ example: 30 }) windowDays: number;
  @ApiProperty({ type: HealthBandsDto }) bands: HealthBandsDto;
  @ApiProperty({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b', nullable: true, type: String }) createdBy: string | null;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) createdAt: string;
}

export class HealthConfigListDto {
  @ApiProperty({ type: HealthConfigDto, isArray: true }) data: HealthConfigDto[];
}
