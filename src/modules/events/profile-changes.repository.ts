import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { bulkInsert } from '../../infra/database';
import { ProfileChange } from './entities/profile-change.entity';

/** The only place that touches TypeORM for profile changes. */
@Injectable()
export class ProfileChangesRepository {
  constructor(private readonly ds: DataSource) {}

  async insertMany(rows: Array<Omit<ProfileChange, 'customer'>>, manager: EntityManager): Promise<void> {
    await bulkInsert(
      manager,
      {
        table: 'profile_changes',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'kind', kind: 'text' },
          { name: 'changes', kind: 'jsonDocument' }, { name: 'changed_at', kind: 'timestamp' },
        ],
        onConflict: 'ignore',
      },
      rows.map((r) => ({ id: r.id, tenant_id: r.tenantId, customer_id: r.customerId, kind: r.kind, changes: r.changes, changed_at: r.changedAt })),
    );
  }

  /** A hard-deleted customer's history (ix_profile_changes_customer_time). */
  async deleteForCustomer(tenantId: string, customerId: string, manager: EntityManager): Promise<void> {
    await manager.delete(ProfileChange, { tenantId, customerId });
  }

  /** ix_profile_changes_customer_time, newest first, strictly after the cursor position. */
  listBefore(tenantId: string, customerId: string, before: { at: Date; id: string } | null, limit: number): Promise<ProfileChange[]> {
    const qb = this.ds.manager.createQueryBuilder(ProfileChange, 'p').where('p.tenant_id = :tenantId AND p.customer_id = :customerId', { tenantId, customerId });
    if (before) qb.andWhere('(p.changed_at < :bAt OR (p.changed_at = :bAt AND p.id < :bId))', { bAt: before.at, bId: before.id });
    return qb.orderBy('p.changed_at', 'DESC').addOrderBy('p.id', 'DESC').limit(limit).getMany();
  }
}
