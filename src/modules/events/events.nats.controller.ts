import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { IncomingMessage, MessageOutcome } from '../../infra/messaging';
import { EventIngestService } from './ingest/event-ingest.service';

/** The handler pattern the JetStream transport delivers batches of customer.events.> messages to. */
export const CUSTOMER_EVENTS_BATCH = 'customer.events.batch';

/** Message handlers only: a batch from the stream goes to ingestion in one call (one transaction). */
@Controller()
export class EventsNatsController {
  constructor(private readonly ingest: EventIngestService) {}

  @EventPattern(CUSTOMER_EVENTS_BATCH)
  handleBatch(@Payload() batch: IncomingMessage[]): Promise<MessageOutcome[]> {
    return this.ingest.ingestMessages(batch);
  }
}
