import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { CustomerPageDto } from '../customers';
import { CreateSegmentDto, PreviewSegmentDto, SegmentCustomersQueryDto, SegmentDto, SegmentListDto, SegmentPreviewDto, UpdateSegmentDto } from './dto/segment.dto';
import { SegmentsService } from './segments.service';

@ApiTags('segments')
@ApiBearerAuth()
@Controller('segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  /** Saves the segment; its members are computed by a job (membershipJobId). */
  @Post()
  @ApiCreatedResponse({ type: SegmentDto })
  create(@CurrentTenant() tenantId: string, @Body() dto: CreateSegmentDto): Promise<SegmentDto> {
    return this.segments.create(tenantId, dto);
  }

  @Get()
  @ApiOkResponse({ type: SegmentListDto })
  async list(@CurrentTenant() tenantId: string): Promise<SegmentListDto> {
    return { data: await this.segments.list(tenantId) };
  }

  /** Counts and lists the first matches of a rule without saving it. */
  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({ type: SegmentPreviewDto })
  preview(@CurrentTenant() tenantId: string, @Body() dto: PreviewSegmentDto): Promise<SegmentPreviewDto> {
    return this.segments.preview(tenantId, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: SegmentDto })
  get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<SegmentDto> {
    return this.segments.get(tenantId, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: SegmentDto })
  update(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSegmentDto): Promise<SegmentDto> {
    return this.segments.update(tenantId, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.segments.remove(tenantId, id);
  }

  @Get(':id/customers')
  @ApiOkResponse({ type: CustomerPageDto })
  customers(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Query() q: SegmentCustomersQueryDto): Promise<CustomerPageDto> {
    return this.segments.members(tenantId, id, q);
  }
}
