import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, CurrentTenant, Roles } from '../../infra/auth/auth.decorators';
import { AuthPrincipal } from '../../infra/auth/roles';
import { CustomerMetricsDto, MetricsSettingsDto, RecomputeAcceptedDto } from './dto/metrics.dto';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('customers/:id/metrics')
  @ApiOkResponse({ type: CustomerMetricsDto })
  get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CustomerMetricsDto> {
    return this.metrics.getMetrics(tenantId, id);
  }

  /** Recomputes every customer of the tenant in the background; poll the job for progress. */
  @Post('metrics/recompute')
  @Roles('admin')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RecomputeAcceptedDto })
  async recompute(@CurrentPrincipal() p: AuthPrincipal, @Res({ passthrough: true }) reply: FastifyReply): Promise<RecomputeAcceptedDto> {
    const job = await this.metrics.startTenantRecompute(p.tenantId, p.userId);
    const statusUrl = `/api/v1/jobs/${job.id}`;
    void reply.header('Location', statusUrl);
    return { jobId: job.id, state: job.state, statusUrl };
  }

  @Get('metrics/settings')
  @ApiOkResponse({ type: MetricsSettingsDto })
  settings(@CurrentTenant() tenantId: string): Promise<MetricsSettingsDto> {
    return this.metrics.getSettings(tenantId);
  }

  @Put('metrics/settings')
  @Roles('admin')
  @ApiOkResponse({ type: MetricsSettingsDto })
  updateSettings(@CurrentTenant() tenantId: string, @Body() dto: MetricsSettingsDto): Promise<MetricsSettingsDto> {
    return this.metrics.updateSettings(tenantId, dto);
  }
}
