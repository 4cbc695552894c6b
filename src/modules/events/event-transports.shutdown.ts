import { Injectable, OnModuleDestroy } from '@nestjs/common';

/** What this app consumes events from (the JetStream transport): close() lets batches in flight finish. */
export interface EventTransport {
  close(): Promise<void>;
}

/**
 * Shutdown order: Nest closes transports only after every beforeApplicationShutdown hook, which is where the job
 * queues finish (in process). Batches still in flight then committed events whose follow-up jobs (metrics, health,
 * loyalty, segments) had no queue left to run them. Stopping this app's event transports when modules are destroyed
 * (the first shutdown step) lets those batches finish while the queues still take jobs; Nest's own close() later
 * finds them closed.
 */
@Injectable()
export class EventTransportsShutdown implements OnModuleDestroy {
  private readonly transports = new Set<EventTransport>();

  /** Called by the app factory for each transport it connects. */
  track(transport: EventTransport): void {
    this.transports.add(transport);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.transports].map((t) => t.close()));
    this.transports.clear();
  }
}
