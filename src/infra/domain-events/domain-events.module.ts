import { Global, Module } from '@nestjs/common';
import { DomainEventBus } from './domain-event-bus';

/** DomainEventBus for every module (EventEmitterModule.forRoot in AppModule provides the emitter). */
@Global()
@Module({ providers: [DomainEventBus], exports: [DomainEventBus] })
export class DomainEventsModule {}
