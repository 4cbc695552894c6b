import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { driverOfManager, millisTimestampSql } from '../../infra/database';
import { Note, NoteType } from './entities/note.entity';

/** Where a page of notes starts: after this (pinned, createdAt, id). */
export interface NotePosition {
  pinned: boolean;
  createdAt: Date;
  id: string;
}

/** The only place that touches TypeORM for notes. */
@Injectable()
export class NotesRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  insert(note: Partial<Note>, manager?: EntityManager): Promise<Note> {
    const m = this.m(manager);
    return m.save(Note, m.create(Note, note));
  }

  save(note: Note, manager?: EntityManager): Promise<Note> {
    return this.m(manager).save(Note, note);
  }

  find(tenantId: string, customerId: string, id: string, manager?: EntityManager): Promise<Note | null> {
    return this.m(manager).findOne(Note, { where: { tenantId, customerId, id } });
  }

  async delete(tenantId: string, customerId: string, id: string): Promise<boolean> {
    const res = await this.ds.manager.delete(Note, { tenantId, customerId, id });
    return (res.affected ?? 0) > 0;
  }

  /**
   * Pinned first, then newest first; keyset pages on ix_notes_customer (tenant_id, customer_id, pinned, created_at, id).
   * Returns up to `limit + 1` rows so the caller knows whether another page follows.
   */
  page(tenantId: string, customerId: string, opts: { types?: NoteType[]; pinned?: boolean; after?: NotePosition; limit: number }): Promise<Note[]> {
    const qb = this.ds.manager
      .createQueryBuilder(Note, 'n')
      .where('n.tenant_id = :tenantId AND n.customer_id = :customerId', { tenantId, customerId });
    if (opts.types?.length) qb.andWhere('n.type IN (:...types)', { types: opts.types });
    if (opts.pinned !== undefined) qb.andWhere('n.pinned = :onlyPinned', { onlyPinned: opts.pinned });
    const after = opts.after;
    if (after) {
      const older = '(n.created_at < :at OR (n.created_at = :at AND n.id < :id))';
      const params = { at: after.createdAt, id: after.id, no: false, yes: true };
      if (after.pinned) qb.andWhere(`(n.pinned = :no OR (n.pinned = :yes AND ${older}))`, params);
      else qb.andWhere(`n.pinned = :no AND ${older}`, params);
    }
    return qb.orderBy('n.pinned', 'DESC').addOrderBy('n.created_at', 'DESC').addOrderBy('n.id', 'DESC').limit(opts.limit + 1).getMany();
  }

  /** Newest first before (created_at, id); ix_notes_customer. */
  listBefore(tenantId: string, customerId: string, before: { at: Date; id: string } | null, limit: number): Promise<Note[]> {
    const at = millisTimestampSql(driverOfManager(this.ds.manager), 'n.created_at');
    const qb = this.ds.manager.createQueryBuilder(Note, 'n').where('n.tenant_id = :tenantId AND n.customer_id = :customerId', { tenantId, customerId });
    if (before) qb.andWhere(`(${at} < :at OR (${at} = :at AND n.id < :id))`, { at: before.at, id: before.id });
    return qb.orderBy(at, 'DESC').addOrderBy('n.id', 'DESC').limit(limit).getMany();
  }
}
