import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

export const MAX_PULSE_CUSTOMERS = 5000;
export const MAX_PULSE_DAYS = 365;

export class PulseDto {
  @ApiProperty({ example: 200, minimum: 1, maximum: MAX_PULSE_CUSTOMERS, description: 'Simulated customers (created as needed, source "simulation")' })
  @IsInt() @Min(1) @Max(MAX_PULSE_CUSTOMERS)
  customers: number;

  @ApiProperty({ example: 30, minimum: 1, maximum: MAX_PULSE_DAYS, description: 'Days of activity up to today' })
  @IsInt() @Min(1) @Max(MAX_PULSE_DAYS)
  days: number;

  @ApiPropertyOptional({ example: 42, description: 'Same seed, same behaviour profiles and volumes' })
  @IsOptional() @IsInt() @Min(0) @Max(2 ** 31 - 1)
  seed?: number;
}

export class OutageDto {
  @ApiProperty({ example: 0.2, minimum: 0.01, maximum: 1, description: 'Share of the simulated customers hit' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.01) @Max(1)
  share: number;

  @ApiPropertyOptional({ example: 'critical', enum: ['low', 'medium', 'high', 'critical'], default: 'critical' })
  @IsOptional() @IsIn(['low', 'medium', 'high', 'critical'])
  severity?: 'low' | 'medium' | 'high' | 'critical';

  @ApiPropertyOptional({ example: 7 })
  @IsOptional() @IsInt() @Min(0) @Max(2 ** 31 - 1)
  seed?: number;
}

export class SimulationJobDto {
  @ApiProperty({ example: 'simulation.3' }) jobId: string;
  @ApiProperty({ example: 'waiting' }) state: string;
}

export class OutageResultDto {
  @ApiProperty({ example: 40 }) customers: number;
  @ApiProperty({ example: 40 }) tickets: number;
  @ApiProperty({ example: 'critical' }) severity: string;
}

export class ResetResultDto {
  @ApiProperty({ example: 200, description: 'Simulated customers removed with everything they owned' }) customersRemoved: number;
}
