import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { driverOfManager, millisTimestampSql } from '../../infra/database';
import { Note } from './entities/note.entity';

/** The only place that touches TypeORM for notes. */
@Injectable()
export class NotesRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async insert(note: Partial<Note> & { id: string }, manager?: EntityManager): Promise<void> {
    await this.m(manager).createQueryBuilder().insert().into(Note).values(note as never).updateEntity(false).execute();
  }

  /** ix_notes_customer */
  list(tenantId: string, customerId: string, opts: { pinned?: boolean; limit: number }): Promise<Note[]> {
    return this.ds.manager.find(Note, {
      where: { tenantId, customerId, ...(opts.pinned === undefined ? {} : { pinned: opts.pinned }) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: opts.limit,
    });
  }

  /** Newest first, strictly after `before` in (createdAt desc, id desc) order, at millisecond precision. */
  listBefore(tenantId: string, customerId: string, before: { at: Date; id: string } | null, limit: number): Promise<Note[]> {
    const at = millisTimestampSql(driverOfManager(this.ds.manager), 'n.created_at');
    const qb = this.ds.manager.createQueryBuilder(Note, 'n').where('n.tenant_id = :tenantId AND n.customer_id = :customerId', { tenantId, customerId });
    if (before) qb.andWhere(`(${at} < :at OR (${at} = :at AND n.id < :id))`, { at: before.at, id: before.id });
    return qb.orderBy(at, 'DESC').addOrderBy('n.id', 'DESC').limit(limit).getMany();
  }
}
