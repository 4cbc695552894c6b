import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConsentChange } from './entities/consent-change.entity';
import { CustomerPreferences } from './entities/customer-preferences.entity';

/** The only place that touches TypeORM for customer preferences and the consent history. */
@Injectable()
export class PreferencesRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  find(tenantId: string, customerId: string, manager?: EntityManager): Promise<CustomerPreferences | null> {
    return this.m(manager).findOne(CustomerPreferences, { where: { tenantId, customerId } });
  }

  async insert(prefs: Partial<CustomerPreferences>, manager: EntityManager): Promise<void> {
    await manager.insert(CustomerPreferences, { ...prefs, version: 1 } as never);
  }

  /** Replaces the row only while its version is still `expectedVersion`; false when it moved on. */
  async updateIfVersion(tenantId: string, customerId: string, expectedVersion: number, patch: Partial<CustomerPreferences>, manager: EntityManager): Promise<boolean> {
    const res = await manager
      .createQueryBuilder()
      .update(CustomerPreferences)
      .set({ ...patch, version: () => 'version + 1' } as never)
      .where('tenant_id = :tenantId AND customer_id = :customerId AND version = :v', { tenantId, customerId, v: expectedVersion })
      .execute();
    return (res.affected ?? 0) === 1;
  }

  insertConsentChange(change: Partial<ConsentChange>, manager: EntityManager): Promise<unknown> {
    return manager.insert(ConsentChange, { id: randomUUID(), ...change } as never);
  }

  /** Newest first; keyset pages on ix_consent_changes_customer (tenant_id, customer_id, created_at), id breaks ties. */
  consentHistory(tenantId: string, customerId: string, opts: { after?: { createdAt: Date; id: string }; limit: number }): Promise<ConsentChange[]> {
    const qb = this.ds.manager
      .createQueryBuilder(ConsentChange, 'h')
      .where('h.tenant_id = :tenantId AND h.customer_id = :customerId', { tenantId, customerId });
    if (opts.after) {
      qb.andWhere('(h.created_at < :at OR (h.created_at = :at AND h.id < :id))', { at: opts.after.createdAt, id: opts.after.id });
    }
    return qb.orderBy('h.created_at', 'DESC').addOrderBy('h.id', 'DESC').limit(opts.limit + 1).getMany();
  }
}
