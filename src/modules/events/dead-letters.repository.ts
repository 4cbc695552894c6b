import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { bulkInsert } from '../../infra/database';
import { DeadLetter, DeadLetterStatus } from './entities/dead-letter.entity';

export type NewDeadLetter = Pick<DeadLetter, 'tenantId' | 'messageKey' | 'subject' | 'headers' | 'payload' | 'payloadEncoding' | 'reason' | 'attempts'>;

/** The only place that touches TypeORM for dead letters. */
@Injectable()
export class DeadLettersRepository {
  constructor(private readonly ds: DataSource) {}

  /** One row per stream message (uq_dead_letters_message_key): a redelivered dead-lettering adds nothing. */
  async insertMany(rows: Array<NewDeadLetter & { id: string }>, manager: EntityManager): Promise<void> {
    // created_at from the clock (millisecond precision on every driver) so the keyset cursor compares exactly.
    const now = new Date();
    await bulkInsert(
      manager,
      {
        table: 'dead_letters',
        columns: [
          { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'message_key', kind: 'text' }, { name: 'subject', kind: 'text' },
          { name: 'headers', kind: 'json' }, { name: 'payload', kind: 'text' }, { name: 'payload_encoding', kind: 'text' }, { name: 'reason', kind: 'text' },
          { name: 'attempts', kind: 'int' }, { name: 'status', kind: 'text' }, { name: 'created_at', kind: 'timestamp' },
        ],
        onConflict: 'ignore',
      },
      [...rows].sort((a, b) => (a.messageKey < b.messageKey ? -1 : 1)).map((r) => ({
        id: r.id, tenant_id: r.tenantId, message_key: r.messageKey, subject: r.subject, headers: r.headers, payload: r.payload,
        payload_encoding: r.payloadEncoding, reason: r.reason.slice(0, 2000), attempts: r.attempts, status: 'pending', created_at: now,
      })),
    );
  }

  /** ix_dead_letters_tenant_created, newest first. */
  list(tenantId: string, f: { status?: DeadLetterStatus; before?: { at: Date; id: string } | null; limit: number }): Promise<DeadLetter[]> {
    const qb = this.ds.manager.createQueryBuilder(DeadLetter, 'd').where('d.tenant_id = :tenantId', { tenantId });
    if (f.status) qb.andWhere('d.status = :status', { status: f.status });
    if (f.before) qb.andWhere('(d.created_at < :bAt OR (d.created_at = :bAt AND d.id < :bId))', { bAt: f.before.at, bId: f.before.id });
    return qb.orderBy('d.created_at', 'DESC').addOrderBy('d.id', 'DESC').limit(f.limit).getMany();
  }

  findById(tenantId: string, id: string): Promise<DeadLetter | null> {
    return this.ds.manager.findOne(DeadLetter, { where: { tenantId, id } });
  }

  async update(id: string, patch: Partial<Pick<DeadLetter, 'status' | 'reason' | 'attempts' | 'replayedEventId' | 'replayedAt'>>): Promise<void> {
    await this.ds.manager.update(DeadLetter, { id }, patch);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const r = await this.ds.manager.delete(DeadLetter, { tenantId, id });
    return (r.affected ?? 0) > 0;
  }
}
