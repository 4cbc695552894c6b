import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { HEALTH_BANDS, HealthBand } from '../health-score.model';
import { HealthWeightsDto } from './health-config.dto';

export class UsageComponentDto {
  @ApiProperty({ example: 48.2 }) score: number;
  @ApiProperty({ example: 0.4 }) weight: number;
  @ApiProperty({ example: 2410 }) apiCalls: number;
  @ApiProperty({ example: 5000 }) target: number;
}

export class EngagementComponentDto {
  @ApiProperty({ example: 40 }) score: number;
  @ApiProperty({ example: 0.3 }) weight: number;
  @ApiProperty({ example: 12 }) logins: number;
  @ApiProperty({ example: 30 }) target: number;
}

export class IncidentTicketDto {
  @ApiProperty({ example: 'T-1042' }) ticketId: string;
  @ApiProperty({ example: 'Checkout fails' }) subject: string;
  @ApiProperty({ example: 'high' }) severity: string;
  @ApiProperty({ example: 'open' }) status: string;
  @ApiProperty({ example: '2026-11-20T09:00:00.000Z' }) openedAt: string;
  @ApiProperty({ example: 15, description: 'Points this ticket takes off the incidents component' }) penalty: number;
}

export class IncidentsComponentDto {
  @ApiProperty({ example: 77 }) score: number;
  @ApiProperty({ example: 0.3 }) weight: number;
  @ApiProperty({ example: 23 }) penalty: number;
  @ApiProperty({ example: 2 }) ticketCount: number;
  @ApiProperty({ type: IncidentTicketDto, isArray: true, description: 'Tickets opened in the window (up to 100)' }) tickets: IncidentTicketDto[];
}

export class HealthComponentsDto {
  @ApiProperty({ type: UsageComponentDto }) usage: UsageComponentDto;
  @ApiProperty({ type: EngagementComponentDto }) engagement: EngagementComponentDto;
  @ApiProperty({ type: IncidentsComponentDto }) incidents: IncidentsComponentDto;
}

/** GET /customers/:id/health: the score and how it was reached. */
export class CustomerHealthDto {
  @ApiProperty({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b' }) customerId: string;
  @ApiProperty({ example: 55 }) score: number;
  @ApiProperty({ example: 'at_risk', enum: HEALTH_BANDS }) band: HealthBand;
  @ApiProperty({ type: HealthComponentsDto }) components: HealthComponentsDto;
  @ApiProperty({ type: HealthWeightsDto }) weights: HealthWeightsDto;
  @ApiProperty({ example: 30 }) windowDays: number;
  @ApiProperty({ example: 2 }) configVersion: number;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z' }) computedAt: string;
  @ApiProperty({ example: -6, nullable: true, type: Number, description: 'Score now minus the score 7 days ago (null without history)' }) change7d: number | null;
  @ApiProperty({ example: 4, nullable: true, type: Number }) change30d: number | null;
}

export class HealthHistoryQueryDto {
  @ApiPropertyOptional({ example: '2026-10-01', description: 'First day (UTC, inclusive); default 30 days before `to`' })
  @IsOptional() @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-23', description: 'Last day (UTC, inclusive); default today' })
  @IsOptional() @IsISO8601({ strict: true })
  to?: string;
}

export class HealthHistoryPointDto {
  @ApiProperty({ example: '2026-11-22' }) day: string;
  @ApiProperty({ example: 61 }) score: number;
  @ApiProperty({ example: 'at_risk', enum: HEALTH_BANDS }) band: HealthBand;
  @ApiProperty({ example: 2 }) configVersion: number;
}

export class HealthHistoryDto {
  @ApiProperty({ example: '2026-10-24' }) from: string;
  @ApiProperty({ example: '2026-11-23' }) to: string;
  @ApiProperty({ type: HealthHistoryPointDto, isArray: true }) data: HealthHistoryPointDto[];
}

export class RecomputeJobDto {
  @ApiProperty({ example: 'health-score.17' }) jobId: string;
  @ApiProperty({ example: 'waiting' }) state: string;
}
