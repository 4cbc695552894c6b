import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { randomUUID } from 'crypto';
import { batchOf } from '../../shared/domain-event';
import { CUSTOMER_EVENTS, CustomerChangedEvent } from '../customers';
import { ProfileChange } from './entities/profile-change.entity';
import { ProfileChangesRepository } from './profile-changes.repository';

const SHOWN_ON_CREATE = ['externalId', 'email', 'phone', 'firstName', 'lastName', 'companyName', 'type', 'status', 'tags', 'source'] as const;
type Row = Omit<ProfileChange, 'customer'>;

/**
 * Keeps the profile history the timeline shows, from the customers module's domain events (emitted after commit,
 * whether the change came from the API or from events). Changes emitted together (a batch of events creating
 * customers on first sight) are written in one statement.
 */
@Injectable()
export class ProfileChangesListener implements OnApplicationShutdown {
  private readonly log = new Logger('ProfileChanges');
  private buffer: Row[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly repo: ProfileChangesRepository) {}

  @OnEvent(batchOf(CUSTOMER_EVENTS.created))
  onCreated(events: CustomerChangedEvent[]): void {
    for (const e of events) {
      const changes: Row['changes'] = {};
      for (const f of SHOWN_ON_CREATE) {
        const v = e.customer[f];
        if (v !== null && v !== undefined && !(Array.isArray(v) && !v.length)) changes[f] = { from: null, to: v };
      }
      this.enqueue(e, 'created', changes, e.customer.createdAt ? new Date(e.customer.createdAt) : new Date());
    }
  }

  @OnEvent(CUSTOMER_EVENTS.updated)
  onUpdated(e: CustomerChangedEvent): void {
    this.enqueue(e, 'updated', e.changes as Row['changes'], new Date());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private enqueue(e: CustomerChangedEvent, kind: Row['kind'], changes: Row['changes'], changedAt: Date): void {
    this.buffer.push({ id: randomUUID(), tenantId: e.tenantId, customerId: e.customerId, kind, changes, changedAt });
    if (this.buffer.length === 1) setImmediate(() => void this.flush());
  }

  private flush(): Promise<void> {
    const rows = this.buffer.splice(0);
    if (!rows.length) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(rows));
    return this.flushing;
  }

  private async write(rows: Row[]): Promise<void> {
    try {
      await this.repo.insertMany(rows);
    } catch {
      // One customer hard-deleted meanwhile fails the statement: keep the others.
      for (const r of rows) {
        await this.repo.insertMany([r]).catch((err: Error) => this.log.warn(`profile change of ${r.customerId} not recorded: ${err.message}`));
      }
    }
  }
}
