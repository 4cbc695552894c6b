import type { Customer } from './entities/customer.entity';

/** In-process domain events (@nestjs/event-emitter) the customers module emits after a change commits. */
export const CUSTOMER_EVENTS = {
  created: 'customer.created',
  updated: 'customer.updated',
  deleted: 'customer.deleted',
} as const;

export type CustomerFieldChanges = Partial<Record<string, { from: unknown; to: unknown }>>;

export interface CustomerChangedEvent {
  tenantId: string;
  customerId: string;
  customer: Customer;
  changes: CustomerFieldChanges;
  hard?: boolean;
}
