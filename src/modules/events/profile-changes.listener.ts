import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { randomUUID } from 'crypto';
import { TransactionRunner } from '../../infra/database';
import { batchOf } from '../../shared/domain-event';
import { addTo } from '../../shared/multimap';
import { CUSTOMER_EVENTS, CustomerChangedEvent, CustomersService } from '../customers';
import { ProfileChange } from './entities/profile-change.entity';
import { ProfileChangesRepository } from './profile-changes.repository';

const SHOWN_ON_CREATE = ['externalId', 'email', 'phone', 'firstName', 'lastName', 'companyName', 'type', 'status', 'tags', 'source'] as const;
type Row = Omit<ProfileChange, 'customer'>;

/**
 * Keeps the profile history the timeline shows, from the customers module's domain events (emitted after commit,
 * whether the change came from the API or from events). Changes emitted together (a batch of events creating
 * customers on first sight) are written in one statement. profile_changes has no foreign key to customers (migration
 * 1733400000000): the rows are written under the tenant's customer erasure lock, and a customer hard-deleted since
 * the change was emitted is skipped.
 */
@Injectable()
export class ProfileChangesListener implements OnApplicationShutdown {
  private readonly log = new Logger('ProfileChanges');
  private buffer: Row[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly repo: ProfileChangesRepository,
    private readonly customers: CustomersService,
    private readonly tx: TransactionRunner,
  ) {}

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
    const byTenant = new Map<string, string[]>();
    for (const r of rows) addTo(byTenant, r.tenantId, r.customerId);
    try {
      await this.tx.run(async (m) => {
        const live = await this.customers.lockExistingByTenant(byTenant, m);
        await this.repo.insertMany(rows.filter((r) => live.has(r.customerId.toLowerCase())), m);
      });
    } catch (err) {
      this.log.error({ err }, `${rows.length} profile changes not recorded`);
    }
  }
}
