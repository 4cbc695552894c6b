import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, Roles } from '../../infra/auth/auth.decorators';
import { OutageDto, OutageResultDto, PulseDto, ResetResultDto, SimulationJobDto } from './dto/simulation.dto';
import { SimulationService } from './simulation.service';

/** Demo data (admin; SIMULATION_ENABLED). */
@ApiTags('simulation')
@ApiBearerAuth()
@Roles('admin')
@Controller('simulate')
export class SimulationController {
  constructor(private readonly simulation: SimulationService) {}

  /** Runs as a job: follow it at GET /jobs/:id. */
  @Post('pulse')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: SimulationJobDto })
  async pulse(@CurrentTenant() tenantId: string, @Body() dto: PulseDto): Promise<SimulationJobDto> {
    const job = await this.simulation.startPulse(tenantId, dto);
    return { jobId: job.id, state: job.state };
  }

  @Post('outage')
  @HttpCode(200)
  @ApiOkResponse({ type: OutageResultDto })
  outage(@CurrentTenant() tenantId: string, @Body() dto: OutageDto): Promise<OutageResultDto> {
    return this.simulation.outage(tenantId, dto);
  }

  @Post('reset')
  @HttpCode(200)
  @ApiOkResponse({ type: ResetResultDto })
  reset(@CurrentTenant() tenantId: string): Promise<ResetResultDto> {
    return this.simulation.reset(tenantId);
  }
}
