import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { CustomerContextService } from './customer-context.service';
import { CustomerContextDto } from './dto/context.dto';
import { TimelinePageDto, TimelineQueryDto } from './dto/timeline.dto';
import { TimelineService } from './timeline.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('customers/:id')
export class CustomerActivityController {
  constructor(
    private readonly timeline: TimelineService,
    private readonly context: CustomerContextService,
  ) {}

  @Get('timeline')
  @ApiOkResponse({ type: TimelinePageDto, description: 'Events, notes and profile changes, newest first' })
  timelinePage(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string, @Query() query: TimelineQueryDto): Promise<TimelinePageDto> {
    return this.timeline.page(tenantId, id, query);
  }

  @Get('context')
  @ApiOkResponse({ type: CustomerContextDto })
  customerContext(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CustomerContextDto> {
    return this.context.build(tenantId, id);
  }
}
