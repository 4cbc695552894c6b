import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { randomUUID } from 'crypto';
import { CUSTOMER_EVENTS, CustomerChangedEvent } from '../customers';
import { ProfileChangesRepository } from './profile-changes.repository';

const SHOWN_ON_CREATE = ['externalId', 'email', 'phone', 'firstName', 'lastName', 'companyName', 'type', 'status', 'tags', 'source'] as const;

/**
 * Keeps the profile history the timeline shows, from the customers module's domain events (emitted after commit,
 * whether the change came from the API or from a profile_update event).
 */
@Injectable()
export class ProfileChangesListener {
  private readonly log = new Logger('ProfileChanges');

  constructor(private readonly repo: ProfileChangesRepository) {}

  @OnEvent(CUSTOMER_EVENTS.created)
  async onCreated(e: CustomerChangedEvent): Promise<void> {
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const f of SHOWN_ON_CREATE) {
      const v = e.customer[f];
      if (v !== null && v !== undefined && !(Array.isArray(v) && !v.length)) changes[f] = { from: null, to: v };
    }
    await this.record(e, 'created', changes, e.customer.createdAt ?? new Date());
  }

  @OnEvent(CUSTOMER_EVENTS.updated)
  async onUpdated(e: CustomerChangedEvent): Promise<void> {
    await this.record(e, 'updated', e.changes as Record<string, { from: unknown; to: unknown }>, new Date());
  }

  private async record(e: CustomerChangedEvent, kind: 'created' | 'updated', changes: Record<string, { from: unknown; to: unknown }>, at: Date): Promise<void> {
    try {
      await this.repo.insert({ id: randomUUID(), tenantId: e.tenantId, customerId: e.customerId, kind, changes, changedAt: new Date(at) });
    } catch (err) {
      // A hard-deleted customer has no history to keep; anything else is worth a line in the log.
      this.log.warn(`profile change of ${e.customerId} not recorded: ${(err as Error).message}`);
    }
  }
}
