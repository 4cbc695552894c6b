/**
 * An in-process domain event (@nestjs/event-emitter) to emit once the transaction that caused it commits.
 * Services that accept an outer EntityManager return these instead of emitting, so listeners never see
 * a change that later rolls back; the transaction owner emits them after commit.
 */
export interface DomainEvent<P extends object = object> {
  name: string;
  payload: P;
}
