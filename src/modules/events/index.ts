export { EventsModule } from './events.module';
export { CUSTOMER_EVENTS_BATCH } from './events.nats.controller';
export { EventIngestService } from './ingest/event-ingest.service';
export { EventTransportsShutdown } from './event-transports.shutdown';
export { CustomerContextService } from './customer-context.service';
export type { ContextSection } from './customer-context.service';
export { CustomerContextDto } from './dto/context.dto';
export { summaryOf as eventSummaryOf } from './timeline.service';
export { EVENTS_DOMAIN } from './ingest/ingest.types';
export type { CustomerEventRecorded, TicketChangedEvent } from './ingest/ingest.types';
export { EVENT_TYPES } from './entities/customer-event.entity';
export type { EventType } from './entities/customer-event.entity';
// Read by the health score (telemetry and support tickets are its inputs).
export { SupportTicket } from './entities/support-ticket.entity';
export { Telemetry } from './entities/telemetry.entity';
export { EventStreamService } from './event-stream.service';
