import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { ActivityAnalyticsService } from './activity-analytics.service';
import { AnalyticsService, Cached } from './analytics.service';
import { ActivityQueryDto, LoginHeatmapDto, UsageDto } from './dto/activity-analytics.dto';
import { ChurnRiskDto, ClvDistributionDto, CohortsDto, HealthTrendsDto, IncidentsDto, OverviewDto, RevenueRiskDto, SegmentSizesDto } from './dto/analytics.dto';
import { ClvQueryDto, CohortsQueryDto, DaysQueryDto, IncidentsQueryDto, TopQueryDto } from './dto/analytics-query.dto';
import { RiskAnalyticsService } from './risk-analytics.service';

/** X-Cache tells whether the answer came from the 60 s Redis cache. */
function send<T>(reply: FastifyReply, r: Cached<T>): T {
  void reply.header('X-Cache', r.cached ? 'hit' : 'miss');
  return r.value;
}

@ApiTags('analytics')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Cache', required: false, description: 'Response header: hit or miss (cached 60 s when Redis is configured)' })
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsService,
    private readonly risk: RiskAnalyticsService,
    private readonly activity: ActivityAnalyticsService,
  ) {}

  @Get('overview')
  @ApiOkResponse({ type: OverviewDto })
  async overview(@CurrentTenant() t: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<OverviewDto> {
    return send(reply, await this.analytics.overview(t));
  }

  @Get('health-trends')
  @ApiOkResponse({ type: HealthTrendsDto })
  async healthTrends(@CurrentTenant() t: string, @Query() q: DaysQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthTrendsDto> {
    return send(reply, await this.analytics.healthTrends(t, q.days ?? 30));
  }

  @Get('incidents')
  @ApiOkResponse({ type: IncidentsDto })
  async incidents(@CurrentTenant() t: string, @Query() q: IncidentsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<IncidentsDto> {
    return send(reply, await this.analytics.incidents(t, q.days ?? 30, q.limit ?? 10));
  }

  @Get('revenue-risk')
  @ApiOkResponse({ type: RevenueRiskDto })
  async revenueRisk(@CurrentTenant() t: string, @Query() q: TopQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<RevenueRiskDto> {
    return send(reply, await this.risk.revenueRisk(t, q.limit ?? 10));
  }

  @Get('churn-risk')
  @ApiOkResponse({ type: ChurnRiskDto })
  async churnRisk(@CurrentTenant() t: string, @Query() q: TopQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ChurnRiskDto> {
    return send(reply, await this.risk.churnRisk(t, q.limit ?? 20));
  }

  @Get('cohorts')
  @ApiOkResponse({ type: CohortsDto })
  async cohorts(@CurrentTenant() t: string, @Query() q: CohortsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CohortsDto> {
    return send(reply, await this.analytics.cohorts(t, q.months ?? 12));
  }

  @Get('clv')
  @ApiOkResponse({ type: ClvDistributionDto })
  async clv(@CurrentTenant() t: string, @Query() q: ClvQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<ClvDistributionDto> {
    return send(reply, await this.risk.clv(t, q.edges));
  }

  @Get('segments')
  @ApiOkResponse({ type: SegmentSizesDto })
  async segments(@CurrentTenant() t: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<SegmentSizesDto> {
    return send(reply, await this.analytics.segmentSizes(t));
  }

  @Get('usage')
  @ApiOkResponse({ type: UsageDto, description: 'API calls per UTC day from usage events; 404 for an unknown customerId' })
  async usage(@CurrentTenant() t: string, @Query() q: ActivityQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<UsageDto> {
    return send(reply, await this.activity.usage(t, q.days ?? 30, q.customerId));
  }

  @Get('login-heatmap')
  @ApiOkResponse({ type: LoginHeatmapDto, description: 'Logins per weekday x UTC hour; 404 for an unknown customerId' })
  async loginHeatmap(@CurrentTenant() t: string, @Query() q: ActivityQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<LoginHeatmapDto> {
    return send(reply, await this.activity.loginHeatmap(t, q.days ?? 30, q.customerId));
  }
}
