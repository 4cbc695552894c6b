import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentTenant, Roles } from '../../infra/auth/auth.decorators';
import type { AuthPrincipal } from '../../infra/auth/roles';
import { CustomerHealthDto, HealthHistoryDto, HealthHistoryQueryDto, RecomputeJobDto } from './dto/customer-health.dto';
import { HealthConfigDto, HealthConfigListDto, UpdateHealthConfigDto } from './dto/health-config.dto';
import { HealthConfigService } from './health-config.service';
import { HealthRecomputeService } from './health-recompute.service';
import { HealthScoreService } from './health-score.service';

@ApiTags('health-score')
@ApiBearerAuth()
@Controller('health-score')
export class HealthScoreController {
  constructor(
    private readonly configs: HealthConfigService,
    private readonly recomputes: HealthRecomputeService,
  ) {}

  @Get('config')
  @ApiOkResponse({ type: HealthConfigDto })
  getConfig(@CurrentTenant() tenantId: string): Promise<HealthConfigDto> {
    return this.configs.get(tenantId);
  }

  /** Replaces the model; the change is stored as a new version and used by the next recompute. */
  @Put('config')
  @Roles('admin')
  @ApiOkResponse({ type: HealthConfigDto })
  putConfig(@CurrentPrincipal() p: AuthPrincipal, @Body() dto: UpdateHealthConfigDto): Promise<HealthConfigDto> {
    return this.configs.update(p.tenantId, dto, p.userId);
  }

  @Get('config/versions')
  @ApiOkResponse({ type: HealthConfigListDto })
  async versions(@CurrentTenant() tenantId: string): Promise<HealthConfigListDto> {
    return { data: await this.configs.versions(tenantId) };
  }

  /** Recomputes every customer of the tenant as a job; follow it at GET /jobs/:id. */
  @Post('recompute')
  @Roles('admin')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RecomputeJobDto })
  async recompute(@CurrentPrincipal() p: AuthPrincipal): Promise<RecomputeJobDto> {
    const job = await this.recomputes.startTenantRecompute(p.tenantId, p.userId);
    return { jobId: job.id, state: job.state };
  }
}

@ApiTags('health-score')
@ApiBearerAuth()
@Controller('customers/:id/health')
export class CustomerHealthController {
  constructor(private readonly health: HealthScoreService) {}

  @Get()
  @ApiOkResponse({ type: CustomerHealthDto })
  get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CustomerHealthDto> {
    return this.health.getHealth(tenantId, id);
  }

  @Get('history')
  @ApiOkResponse({ type: HealthHistoryDto })
  history(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Query() q: HealthHistoryQueryDto): Promise<HealthHistoryDto> {
    return this.health.history(tenantId, id, q.from, q.to);
  }
}
