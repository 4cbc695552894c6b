import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { toCampaignDto } from './campaign.mapper';
import { CampaignsService } from './campaigns.service';
import { CampaignDto, CampaignPageDto, CampaignSendStartedDto, CampaignStatsDto, CreateCampaignDto, ListCampaignsQueryDto, UpdateCampaignDto } from './dto/campaign.dto';

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Post()
  @ApiCreatedResponse({ type: CampaignDto })
  async create(@CurrentTenant() tenantId: string, @Body() dto: CreateCampaignDto): Promise<CampaignDto> {
    return toCampaignDto(await this.campaigns.create(tenantId, dto));
  }

  @Get()
  @ApiOkResponse({ type: CampaignPageDto })
  async list(@CurrentTenant() tenantId: string, @Query() q: ListCampaignsQueryDto): Promise<CampaignPageDto> {
    const page = await this.campaigns.list(tenantId, q);
    return { data: page.data.map(toCampaignDto), page: page.page };
  }

  @Get(':id')
  @ApiOkResponse({ type: CampaignDto })
  async get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return toCampaignDto(await this.campaigns.get(tenantId, id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: CampaignDto, description: 'Drafts and scheduled campaigns only (409 otherwise)' })
  async update(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateCampaignDto): Promise<CampaignDto> {
    return toCampaignDto(await this.campaigns.update(tenantId, id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.campaigns.remove(tenantId, id);
  }

  @Post(':id/send')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: CampaignSendStartedDto, description: 'Sends now: one campaign.send webhook event per eligible customer' })
  async send(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignSendStartedDto> {
    const { campaign, jobId } = await this.campaigns.send(tenantId, id);
    return { campaign: toCampaignDto(campaign), jobId, statusUrl: `/api/v1/jobs/${jobId}` };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: CampaignDto })
  async cancel(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignDto> {
    return toCampaignDto(await this.campaigns.cancel(tenantId, id));
  }

  @Get(':id/stats')
  @ApiOkResponse({ type: CampaignStatsDto })
  stats(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CampaignStatsDto> {
    return this.campaigns.stats(tenantId, id);
  }
}
