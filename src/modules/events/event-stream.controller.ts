import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentTenant } from '../../infra/auth/auth.decorators';
import { openSseStream } from '../../infra/http/sse';
import { CustomersService } from '../customers';
import { EventStreamQueryDto, LiveEventDto } from './dto/event-stream.dto';
import { EventStreamService } from './event-stream.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventStreamController {
  constructor(
    private readonly stream: EventStreamService,
    private readonly customers: CustomersService,
  ) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    type: LiveEventDto,
    description:
      'Server-sent events: one `event.ingested` message per accepted event (data: JSON below), a comment every 15 s. ' +
      'Send the bearer token in the Authorization header (read with fetch(), not EventSource). Only events ingested ' +
      'by the instance serving the stream are seen. 404 for an unknown customerId.',
  })
  async open(@CurrentTenant() tenantId: string, @Query() q: EventStreamQueryDto, @Res() reply: FastifyReply): Promise<void> {
    if (q.customerId) await this.customers.assertExists(tenantId, q.customerId);
    const sse = openSseStream(reply);
    const unsubscribe = this.stream.subscribe({
      tenantId,
      customerId: q.customerId ?? null,
      deliver: (e) => sse.send('event.ingested', e, e.eventId),
      close: () => sse.close(),
    });
    sse.onClose(unsubscribe);
  }
}
