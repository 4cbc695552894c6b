import { ApiProperty } from '@nestjs/swagger';

export class BandCountsDto {
  @ApiProperty({ example: 640 }) healthy: number;
  @ApiProperty({ example: 250 }) at_risk: number;
  @ApiProperty({ example: 110 }) critical: number;
}

export class OverviewDto {
  @ApiProperty({ example: 1000, description: 'Live customers with a health score (every live customer once its first score is in)' }) customers: number;
  @ApiProperty({ example: 720, description: 'Customers with usage or logins in the last 30 days (as of their latest score)' }) active30d: number;
  @ApiProperty({ example: 68.4, nullable: true, type: Number }) averageHealth: number | null;
  @ApiProperty({ type: BandCountsDto }) bands: BandCountsDto;
  @ApiProperty({ example: 48210.5, description: 'Net revenue of the last 30 days, major units' }) revenue30d: number;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 37 }) openTickets: number;
}

export class TrendPointDto {
  @ApiProperty({ example: '2026-11-22' }) day: string;
  @ApiProperty({ example: 67.9, nullable: true, type: Number }) averageScore: number | null;
  @ApiProperty({ example: 1000 }) customers: number;
  @ApiProperty({ type: BandCountsDto }) bands: BandCountsDto;
}

export class HealthTrendsDto {
  @ApiProperty({ example: 30 }) days: number;
  @ApiProperty({ type: TrendPointDto, isArray: true, description: 'One point per day, oldest first; days without history have customers 0' }) data: TrendPointDto[];
}

export class SeverityCountsDto {
  @ApiProperty({ example: 3 }) critical: number;
  @ApiProperty({ example: 9 }) high: number;
  @ApiProperty({ example: 20 }) medium: number;
  @ApiProperty({ example: 31 }) low: number;
}

export class IncidentDayDto {
  @ApiProperty({ example: '2026-11-22' }) day: string;
  @ApiProperty({ example: 4 }) tickets: number;
  @ApiProperty({ type: SeverityCountsDto }) bySeverity: SeverityCountsDto;
}

export class CustomerRefDto {
  @ApiProperty({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b' }) customerId: string;
  @ApiProperty({ example: 'Jane Doe', nullable: true, type: String }) name: string | null;
  @ApiProperty({ example: 'jane.doe@example.com', nullable: true, type: String }) email: string | null;
}

export class TicketCustomerDto extends CustomerRefDto {
  @ApiProperty({ example: 5 }) tickets: number;
  @ApiProperty({ example: 1 }) critical: number;
  @ApiProperty({ example: 2 }) open: number;
}

export class IncidentsDto {
  @ApiProperty({ example: 30 }) days: number;
  @ApiProperty({ example: 63 }) total: number;
  @ApiProperty({ example: 12, description: 'Of those, still open or pending' }) open: number;
  @ApiProperty({ type: SeverityCountsDto }) bySeverity: SeverityCountsDto;
  @ApiProperty({ type: IncidentDayDto, isArray: true }) byDay: IncidentDayDto[];
  @ApiProperty({ type: TicketCustomerDto, isArray: true }) topCustomers: TicketCustomerDto[];
}

export class BandRevenueDto {
  @ApiProperty({ example: 250 }) customers: number;
  @ApiProperty({ example: 120500.25, description: 'Trailing-12-month net revenue, major units' }) revenue12m: number;
  @ApiProperty({ example: 98000, nullable: true, type: Number, description: 'Predicted CLV (null without a CLV provider)' }) predictedClv: number | null;
}

export class RevenueRiskCustomerDto extends CustomerRefDto {
  @ApiProperty({ example: 35 }) score: number;
  @ApiProperty({ example: 'critical' }) band: string;
  @ApiProperty({ example: 8400 }) revenue12m: number;
  @ApiProperty({ example: 9100, nullable: true, type: Number }) predictedClv: number | null;
}

export class RevenueRiskDto {
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 910000 }) totalRevenue12m: number;
  @ApiProperty({ type: BandRevenueDto }) atRisk: BandRevenueDto;
  @ApiProperty({ type: BandRevenueDto }) critical: BandRevenueDto;
  @ApiProperty({ example: 0.21, description: 'Share of trailing revenue held by at_risk and critical customers' }) shareAtRisk: number;
  @ApiProperty({ example: false }) predictedClvAvailable: boolean;
  @ApiProperty({ type: RevenueRiskCustomerDto, isArray: true }) top: RevenueRiskCustomerDto[];
}

export class ChurnReasonDto {
  @ApiProperty({ example: 'purchase_overdue', enum: ['low_health', 'falling_health', 'purchase_overdue', 'open_critical_tickets'] }) code: string;
  @ApiProperty({ example: 'No purchase for 64 days; usually every 21 days' }) message: string;
  @ApiProperty({ example: { daysSinceLastPurchase: 64, usualIntervalDays: 21 }, type: 'object', additionalProperties: true }) data: Record<string, unknown>;
}

export class ChurnRiskCustomerDto extends CustomerRefDto {
  @ApiProperty({ example: 92, description: 'Higher is riskier' }) risk: number;
  @ApiProperty({ example: 38 }) score: number;
  @ApiProperty({ example: 'critical' }) band: string;
  @ApiProperty({ type: ChurnReasonDto, isArray: true }) reasons: ChurnReasonDto[];
}

export class ChurnRiskDto {
  @ApiProperty({ type: ChurnRiskCustomerDto, isArray: true }) data: ChurnRiskCustomerDto[];
}

export class CohortRowDto {
  @ApiProperty({ example: '2026-06' }) cohort: string;
  @ApiProperty({ example: 120 }) customers: number;
  @ApiProperty({ example: [0.25, 0.18, 0.2], type: [Number], description: 'Per month since signup (0 = signup month): share of the cohort that purchased' }) purchasedShare: number[];
}

export class CohortsDto {
  @ApiProperty({ example: 'month' }) by: string;
  @ApiProperty({ type: CohortRowDto, isArray: true }) data: CohortRowDto[];
}

export class ClvBucketDto {
  @ApiProperty({ example: 100 }) from: number;
  @ApiProperty({ example: 250, nullable: true, type: Number, description: 'Exclusive; null for the last bucket' }) to: number | null;
  @ApiProperty({ example: 140 }) customers: number;
}

export class ClvDistributionDto {
  @ApiProperty({ example: 'historical', enum: ['predicted', 'historical'], description: 'predicted when a CLV provider is registered, else net revenue to date' }) basis: string;
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 1000 }) customers: number;
  @ApiProperty({ example: 412.3 }) average: number;
  @ApiProperty({ type: ClvBucketDto, isArray: true }) buckets: ClvBucketDto[];
}

export class SegmentSizeDto {
  @ApiProperty({ example: '6f1c2b9e-3d4a-4e5f-8a7b-1c2d3e4f5a6b' }) segmentId: string;
  @ApiProperty({ example: 'At-risk VIPs' }) name: string;
  @ApiProperty({ example: 42 }) customers: number;
  @ApiProperty({ example: '2026-11-23T10:00:00.000Z', nullable: true, type: String }) evaluatedAt: string | null;
}

export class SegmentSizesDto {
  @ApiProperty({ type: SegmentSizeDto, isArray: true }) data: SegmentSizeDto[];
}
