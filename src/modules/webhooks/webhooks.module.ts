import { Module } from '@nestjs/common';
import { OutboundModule } from '../../infra/outbound';
import { QueueModule } from '../../infra/queue';
import { DeliveryBatcher } from './delivery-batcher';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEndpointCache } from './webhook-endpoint-cache';
import { WebhookEventsListener } from './webhook-events.listener';
import { WebhookPublisher } from './webhook-publisher.service';
import { WEBHOOKS_QUEUE } from './webhook-queue';
import { WebhooksController } from './webhooks.controller';
import { WebhooksProcessor } from './webhooks.processor';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

@Module({
  imports: [OutboundModule, QueueModule.registerQueue(WEBHOOKS_QUEUE)],
  controllers: [WebhooksController],
  providers: [
    WebhooksRepository,
    WebhookDeliveriesRepository,
    WebhookEndpointCache,
    DeliveryBatcher,
    WebhookDeliveryService,
    WebhookPublisher,
    WebhookEventsListener,
    WebhooksService,
    WebhooksProcessor,
  ],
  exports: [WebhooksService, WebhookPublisher, WebhookDeliveryService],
})
export class WebhooksModule {}
