/**
 * An in-process domain event (@nestjs/event-emitter) to emit once the transaction that caused it commits.
 * Services that accept an outer EntityManager return these instead of emitting, so listeners never see
 * a change that later rolls back; the transaction owner emits them after commit.
 */
export interface DomainEvent<P extends object = object> {
  name: string;
  payload: P;
}

/**
 * The name under which DomainEventBus delivers every payload of `name` from one publish as one list. Event ingestion
 * publishes a thousand events at a time; a listener that only enqueues work subscribes here instead of to `name`.
 */
export function batchOf(name: string): string {
  return `${name}:batch`;
}

export interface CustomerScoped {
  tenantId: string;
  customerId: string;
}

/** The distinct customers a batch of payloads is about, in order of first appearance. */
export function distinctCustomers(payloads: CustomerScoped[]): CustomerScoped[] {
  const seen = new Map<string, CustomerScoped>();
  for (const p of payloads) {
    const key = `${p.tenantId}:${p.customerId}`;
    if (!seen.has(key)) seen.set(key, { tenantId: p.tenantId, customerId: p.customerId });
  }
  return [...seen.values()];
}
