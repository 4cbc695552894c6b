import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { JetStreamBatchServer } from '../../infra/messaging';

/**
 * Shutdown order: Nest closes transports only after every beforeApplicationShutdown hook, which is where the job
 * queues finish (in process) or close (BullMQ). Batches still in flight then committed events whose follow-up
 * jobs (metrics, health, loyalty, segments) had no queue left to go to. Stopping the event transports when
 * modules are destroyed (the first shutdown step) lets those batches finish while the queues still take jobs;
 * Nest's own close() later finds them closed.
 */
@Injectable()
export class EventTransportsShutdown implements OnModuleDestroy {
  onModuleDestroy(): Promise<void> {
    return JetStreamBatchServer.closeAll();
  }
}
