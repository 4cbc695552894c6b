import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { batchOf, DomainEvent } from '../../shared/domain-event';
import { addTo } from '../../shared/multimap';

/** Payloads grouped by event name, names in order of first appearance, payloads in their order. */
function byName(events: DomainEvent[]): Map<string, object[]> {
  const groups = new Map<string, object[]>();
  for (const e of events) addTo(groups, e.name, e.payload);
  return groups;
}

/**
 * The one way in-process domain events go out (over @nestjs/event-emitter). Every event is delivered in two forms
 * and a listener subscribes to exactly one of them:
 * - `name`: one call per event (`@OnEvent(NAME)`);
 * - `batchOf(name)`: one call per publish with every payload of that name (`@OnEvent(batchOf(NAME))`).
 * Event ingestion publishes a whole batch (a thousand events) at once: listeners that only enqueue work take the
 * batch form, so a batch costs them one call instead of one per event (a promise-returning wrapper each).
 */
@Injectable()
export class DomainEventBus {
  private readonly log = new Logger('DomainEvents');

  constructor(private readonly emitter: EventEmitter2) {}

  /** One event: the listeners of `name` get the payload, those of batchOf(name) a list of one. */
  emit<P extends object>(name: string, payload: P): void {
    this.publish([{ name, payload }]);
  }

  /** Events that committed together. Listeners run synchronously up to their first await; nothing is awaited. */
  publish(events: DomainEvent[]): void {
    if (!events.length) return;
    for (const [name, payloads] of byName(events)) {
      this.safely(name, () => this.emitter.emit(batchOf(name), payloads));
      if (!this.emitter.hasListeners(name)) continue;
      for (const p of payloads) this.safely(name, () => this.emitter.emit(name, p));
    }
  }

  /**
   * As publish(), and resolves once every listener's promise has settled (callers that answer after the effects,
   * e.g. jobs queued, are in place). A failing listener is logged; it does not fail the publisher.
   */
  async publishAsync(events: DomainEvent[]): Promise<void> {
    const pending: Array<[string, Promise<unknown>]> = [];
    // emitAsync passes a listener's synchronous throw straight through: made a rejection like the others.
    const start = (name: string, payload: unknown): Promise<unknown> => {
      try {
        return this.emitter.emitAsync(name, payload);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    };
    for (const [name, payloads] of byName(events)) {
      pending.push([name, start(batchOf(name), payloads)]);
      if (this.emitter.hasListeners(name)) for (const p of payloads) pending.push([name, start(name, p)]);
    }
    const settled = await Promise.allSettled(pending.map(([, p]) => p));
    settled.forEach((r, i) => r.status === 'rejected' && this.log.error(`a listener of ${pending[i][0]} failed: ${(r.reason as Error)?.message ?? String(r.reason)}`));
  }

  /** A listener that throws must not undo or stop the publisher's already committed work. */
  private safely(name: string, work: () => unknown): void {
    try {
      work();
    } catch (e) {
      this.log.error(`a listener of ${name} failed: ${(e as Error).message}`);
    }
  }
}
