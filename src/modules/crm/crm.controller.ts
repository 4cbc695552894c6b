import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant, Roles } from '../../infra/auth/auth.decorators';
import { PageQueryDto } from '../../infra/http/pagination.dto';
import { CrmConnectionsService } from './crm-connections.service';
import { CrmSyncService } from './crm-sync.service';
import { toConnectionDto, toRunDto } from './crm.mapper';
import {
  CreateCrmConnectionDto,
  CrmConnectionDto,
  CrmConnectionPageDto,
  CrmSyncRunDto,
  CrmSyncRunPageDto,
  StartSyncDto,
  SyncStartedDto,
  UpdateCrmConnectionDto,
} from './dto/crm-connection.dto';

@ApiTags('crm')
@ApiBearerAuth()
@Controller('crm/connections')
export class CrmController {
  constructor(
    private readonly connections: CrmConnectionsService,
    private readonly sync: CrmSyncService,
  ) {}

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: CrmConnectionDto })
  async create(@CurrentTenant() tenantId: string, @Body() dto: CreateCrmConnectionDto): Promise<CrmConnectionDto> {
    return toConnectionDto(await this.connections.create(tenantId, dto));
  }

  @Get()
  @ApiOkResponse({ type: CrmConnectionPageDto })
  async list(@CurrentTenant() tenantId: string, @Query() q: PageQueryDto): Promise<CrmConnectionPageDto> {
    const page = await this.connections.list(tenantId, q.limit, q.cursor);
    return { data: page.data.map(toConnectionDto), page: page.page };
  }

  @Get(':id')
  @ApiOkResponse({ type: CrmConnectionDto })
  async get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CrmConnectionDto> {
    return toConnectionDto(await this.connections.get(tenantId, id));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: CrmConnectionDto })
  async update(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCrmConnectionDto): Promise<CrmConnectionDto> {
    return toConnectionDto(await this.connections.update(tenantId, id, dto));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.connections.remove(tenantId, id);
  }

  @Post(':id/sync')
  @Roles('admin')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: SyncStartedDto, description: 'Queued; 409 while another sync of this connection is queued or running' })
  async start(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: StartSyncDto): Promise<SyncStartedDto> {
    const { run, jobId } = await this.sync.start(tenantId, id, { full: dto.full });
    return { jobId, runId: run.id, statusUrl: `/api/v1/jobs/${jobId}` };
  }

  @Get(':id/runs')
  @ApiOkResponse({ type: CrmSyncRunPageDto })
  async runs(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Query() q: PageQueryDto): Promise<CrmSyncRunPageDto> {
    const page = await this.connections.listRuns(tenantId, id, q.limit, q.cursor);
    return { data: page.data.map(toRunDto), page: page.page };
  }

  @Get(':id/runs/:runId')
  @ApiOkResponse({ type: CrmSyncRunDto })
  async run(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Param('runId', ParseUUIDPipe) runId: string): Promise<CrmSyncRunDto> {
    return toRunDto(await this.connections.getRun(tenantId, id, runId));
  }
}
