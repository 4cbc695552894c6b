import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiExtraModels, ApiHeader, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { CustomerEventDto, CustomerEventPageDto, EventEnvelopeDto, IngestEventsDto, IngestResponseDto, ListEventsQueryDto } from './dto/event.dto';
import { toEventDto } from './event.mapper';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @HttpCode(202)
  @ApiExtraModels(EventEnvelopeDto, IngestEventsDto)
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(EventEnvelopeDto) }, { $ref: getSchemaPath(IngestEventsDto) }] } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body -> the same answer; same key, other body -> 422' })
  @ApiAcceptedResponse({ type: IngestResponseDto, description: 'A status per event: accepted, duplicate or rejected (with the error)' })
  ingest(@CurrentTenant() tenantId: string, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string): Promise<IngestResponseDto> {
    return this.events.ingestRequest(tenantId, body, idempotencyKey);
  }

  @Get()
  @ApiOkResponse({ type: CustomerEventPageDto })
  async list(@CurrentTenant() tenantId: string, @Query() query: ListEventsQueryDto): Promise<CustomerEventPageDto> {
    const page = await this.events.list(tenantId, query);
    return { data: page.data.map(toEventDto), page: page.page };
  }

  @Get(':id')
  @ApiOkResponse({ type: CustomerEventDto })
  async get(@CurrentTenant() tenantId: string, @Param('id', ParseUUIDPipe) id: string): Promise<CustomerEventDto> {
    return toEventDto(await this.events.get(tenantId, id));
  }
}
