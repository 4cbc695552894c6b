import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager, In, LessThan, LessThanOrEqual } from 'typeorm';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { LoyaltyAccount } from './entities/loyalty-account.entity';
import { LoyaltyIdempotencyKey } from './entities/loyalty-idempotency-key.entity';
import { LoyaltyLot } from './entities/loyalty-lot.entity';
import { LoyaltyProgram } from './entities/loyalty-program.entity';
import { LoyaltyTierChange } from './entities/loyalty-tier-change.entity';
import { LoyaltyTransaction } from './entities/loyalty-transaction.entity';
import { QualifyingRow } from './rules/loyalty-tiers';

export interface AccountRef {
  tenantId: string;
  customerId: string;
}

/** The only place that touches TypeORM for the loyalty tables. */
@Injectable()
export class LoyaltyRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  get driver(): 'sqlite' | 'postgres' | 'mssql' {
    const t = this.ds.options.type;
    return t === 'better-sqlite3' ? 'sqlite' : t === 'mssql' ? 'mssql' : 'postgres';
  }

  // Program

  findProgram(tenantId: string): Promise<LoyaltyProgram | null> {
    return this.ds.manager.findOne(LoyaltyProgram, { where: { tenantId } });
  }

  saveProgram(p: Partial<LoyaltyProgram>): Promise<LoyaltyProgram> {
    return this.ds.manager.save(LoyaltyProgram, this.ds.manager.create(LoyaltyProgram, p));
  }

  // Accounts

  /** Creates the account unless it exists, without failing (or aborting the transaction) on a race. */
  async ensureAccount(ref: AccountRef, tier: string, now: Date, m: EntityManager): Promise<void> {
    await m
      .createQueryBuilder()
      .insert()
      .into(LoyaltyAccount)
      .values({ ...ref, balance: 0, lifetimeEarned: 0, tier, tierSince: now, belowSince: null, tierEvaluatedAt: now, nextTierCheckAt: null, lastSeq: 0 } as never)
      .orIgnore()
      .execute();
  }

  /**
   * Reads the account for a ledger change. Postgres and SQL Server lock the row (FOR UPDATE / UPDLOCK) until the
   * transaction ends, so two redeems of one customer run one after the other; SQLite has one writer.
   */
  lockAccount(ref: AccountRef, m: EntityManager): Promise<LoyaltyAccount | null> {
    const qb = m.createQueryBuilder(LoyaltyAccount, 'a').where('a.tenant_id = :tenantId AND a.customer_id = :customerId', ref);
    if (this.driver !== 'sqlite') qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  findAccount(ref: AccountRef): Promise<LoyaltyAccount | null> {
    return this.ds.manager.findOne(LoyaltyAccount, { where: ref });
  }

  async saveAccount(a: LoyaltyAccount, m: EntityManager): Promise<void> {
    const { customer: _c, createdAt: _cr, updatedAt: _u, ...fields } = a;
    await m.update(LoyaltyAccount, { customerId: a.customerId }, fields);
  }

  /** Accounts whose tier may change by now without a write (ix_loyalty_accounts_tier_check). */
  async accountsDueForTierCheck(now: Date, limit: number): Promise<AccountRef[]> {
    const rows = await this.ds.manager.find(LoyaltyAccount, { select: { tenantId: true, customerId: true }, where: { nextTierCheckAt: LessThanOrEqual(now) }, take: limit });
    return rows.map((a) => ({ tenantId: a.tenantId, customerId: a.customerId }));
  }

  async accountsOfTenant(tenantId: string, after: string | null, limit: number): Promise<string[]> {
    const qb = this.ds.manager.createQueryBuilder(LoyaltyAccount, 'a').select('a.customer_id', 'id').where('a.tenant_id = :tenantId', { tenantId });
    if (after) qb.andWhere('a.customer_id > :after', { after });
    return (await qb.orderBy('a.customer_id', 'ASC').limit(limit).getRawMany<{ id: string }>()).map((r) => r.id);
  }

  // Ledger

  /** insert(), not save(): a ledger row is always new, and save's change tracking was most of the cost of a sync. */
  async insertTransaction(t: Partial<LoyaltyTransaction>, m: EntityManager): Promise<LoyaltyTransaction> {
    const row = m.create(LoyaltyTransaction, { id: randomUUID(), ...t });
    await m.insert(LoyaltyTransaction, row as never);
    return row;
  }

  /** The rows of these source keys (uq_loyalty_transactions_source), by key. */
  async findBySourceKeys(tenantId: string, sourceKeys: string[], m: EntityManager): Promise<Map<string, LoyaltyTransaction>> {
    const rows = sourceKeys.length ? await m.find(LoyaltyTransaction, { where: { tenantId, sourceKey: In(sourceKeys) } }) : [];
    return new Map(rows.map((r) => [r.sourceKey, r]));
  }

  findBySourceKey(tenantId: string, sourceKey: string, m?: EntityManager): Promise<LoyaltyTransaction | null> {
    return this.m(m).findOne(LoyaltyTransaction, { where: { tenantId, sourceKey } });
  }

  /** Points already reversed (as wanted, shortfall included) for refunds of one order. */
  async reversedForOrder(ref: AccountRef, orderId: string, m: EntityManager): Promise<number> {
    const row = await m
      .createQueryBuilder(LoyaltyTransaction, 't')
      .select('COALESCE(SUM(t.qualifying_points), 0)', 'q')
      .where("t.tenant_id = :tenantId AND t.customer_id = :customerId AND t.type = 'reverse' AND t.reference = :orderId", { ...ref, orderId })
      .getRawOne<{ q: string | number }>();
    return -Number(row?.q ?? 0);
  }

  /** Rows that move tier qualification, written after `since` (ix_loyalty_transactions_customer_time). */
  async qualifyingRows(ref: AccountRef, since: Date, m?: EntityManager): Promise<QualifyingRow[]> {
    const rows = await this.m(m)
      .createQueryBuilder(LoyaltyTransaction, 't')
      .select(['t.qualifyingPoints', 't.occurredAt'])
      .where('t.tenant_id = :tenantId AND t.customer_id = :customerId AND t.occurred_at > :since AND t.qualifying_points <> 0', { ...ref, since })
      .getMany();
    return rows.map((r) => ({ points: r.qualifyingPoints, at: r.occurredAt }));
  }

  /** Newest first by ledger sequence (uq_loyalty_transactions_seq). */
  async listTransactions(ref: AccountRef, limit: number, cursor?: string): Promise<{ rows: LoyaltyTransaction[]; nextCursor: string | null }> {
    const qb = this.ds.manager.createQueryBuilder(LoyaltyTransaction, 't').where('t.tenant_id = :tenantId AND t.customer_id = :customerId', ref);
    if (cursor) qb.andWhere('t.seq < :seq', { seq: Number(decodeCursor(cursor).v) });
    const rows = await qb.orderBy('t.seq', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.seq, id: last.id }) : null };
  }

  // Lots

  openLots(ref: AccountRef, m?: EntityManager): Promise<LoyaltyLot[]> {
    return this.m(m).find(LoyaltyLot, { where: { ...ref, isOpen: true }, order: { earnedAt: 'ASC', id: 'ASC' } });
  }

  async insertLot(l: Partial<LoyaltyLot>, m: EntityManager): Promise<LoyaltyLot> {
    const lot = m.create(LoyaltyLot, { id: randomUUID(), ...l });
    await m.insert(LoyaltyLot, lot as never);
    return lot;
  }

  async updateLot(id: string, remaining: number, m: EntityManager): Promise<void> {
    await m.update(LoyaltyLot, { id }, { remaining, isOpen: remaining > 0 });
  }

  /** Customers with open lots expired by now (ix_loyalty_lots_open_expiry). */
  async accountsWithDueLots(now: Date, limit: number): Promise<AccountRef[]> {
    return this.ds.manager
      .createQueryBuilder(LoyaltyLot, 'l')
      .select('l.tenant_id', 'tenantId')
      .addSelect('l.customer_id', 'customerId')
      .where('l.is_open = :open AND l.expires_at <= :now', { open: true, now })
      .groupBy('l.tenant_id')
      .addGroupBy('l.customer_id')
      .limit(limit)
      .getRawMany<AccountRef>();
  }

  // Tier history

  async insertTierChanges(rows: Array<Partial<LoyaltyTierChange>>, m: EntityManager): Promise<void> {
    if (rows.length) await m.save(LoyaltyTierChange, rows.map((r) => m.create(LoyaltyTierChange, r)));
  }

  async tierHistory(ref: AccountRef, limit: number, cursor?: string): Promise<{ rows: LoyaltyTierChange[]; nextCursor: string | null }> {
    const qb = this.ds.manager.createQueryBuilder(LoyaltyTierChange, 'h').where('h.tenant_id = :tenantId AND h.customer_id = :customerId', ref);
    if (cursor) {
      const pos = decodeCursor(cursor);
      qb.andWhere('(h.effective_at < :cv OR (h.effective_at = :cv AND h.id < :cid))', { cv: new Date(String(pos.v)), cid: pos.id });
    }
    const rows = await qb.orderBy('h.effective_at', 'DESC').addOrderBy('h.id', 'DESC').limit(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor({ v: last.effectiveAt.toISOString(), id: last.id }) : null };
  }

  // Idempotency keys

  findIdempotencyKey(tenantId: string, scope: string, idemKey: string, m?: EntityManager): Promise<LoyaltyIdempotencyKey | null> {
    return this.m(m).findOne(LoyaltyIdempotencyKey, { where: { tenantId, scope, idemKey } });
  }

  async insertIdempotencyKey(k: Partial<LoyaltyIdempotencyKey>, m: EntityManager): Promise<void> {
    await m.save(LoyaltyIdempotencyKey, m.create(LoyaltyIdempotencyKey, k));
  }

  async deleteIdempotencyKeysBefore(before: Date): Promise<number> {
    return (await this.ds.manager.delete(LoyaltyIdempotencyKey, { createdAt: LessThan(before) })).affected ?? 0;
  }
}
