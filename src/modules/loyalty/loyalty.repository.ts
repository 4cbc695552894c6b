import { Injectable } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DataSource, EntityManager, LessThanOrEqual } from 'typeorm';
import { bulkInsert, BulkColumn } from '../../infra/database/bulk-sql';
import { inBindableChunks, sqlDialect } from '../../infra/database/raw-sql';
import { decodeCursor, encodeCursor } from '../../shared/cursor';
import { addTo } from '../../shared/multimap';
import { LoyaltyAccount } from './entities/loyalty-account.entity';
import { LoyaltyLot } from './entities/loyalty-lot.entity';
import { LoyaltyProgram } from './entities/loyalty-program.entity';
import { LoyaltyTierChange } from './entities/loyalty-tier-change.entity';
import { LoyaltyTransaction } from './entities/loyalty-transaction.entity';
import { QualifyingRow } from './rules/loyalty-tiers';

export interface AccountRef {
  tenantId: string;
  customerId: string;
}

const ACCOUNT_COLUMNS: BulkColumn[] = [
  { name: 'customer_id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'balance', kind: 'bigint' }, { name: 'lifetime_earned', kind: 'bigint' },
  { name: 'tier', kind: 'text' }, { name: 'tier_since', kind: 'timestamp' }, { name: 'below_since', kind: 'timestamp' }, { name: 'tier_evaluated_at', kind: 'timestamp' },
  { name: 'next_tier_check_at', kind: 'timestamp' }, { name: 'last_seq', kind: 'int' }, { name: 'created_at', kind: 'timestamp' }, { name: 'updated_at', kind: 'timestamp' },
];
const accountRow = (a: Omit<LoyaltyAccount, 'customer'>) => ({
  customer_id: a.customerId, tenant_id: a.tenantId, balance: a.balance, lifetime_earned: a.lifetimeEarned, tier: a.tier, tier_since: a.tierSince,
  below_since: a.belowSince, tier_evaluated_at: a.tierEvaluatedAt, next_tier_check_at: a.nextTierCheckAt, last_seq: a.lastSeq, created_at: a.createdAt, updated_at: a.updatedAt,
});

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

  /** A hard-deleted customer's loyalty rows (LoyaltyEraser; each table has an index leading with the customer). */
  async deleteForCustomer(tenantId: string, customerId: string, m: EntityManager): Promise<void> {
    for (const entity of [LoyaltyLot, LoyaltyTransaction, LoyaltyTierChange, LoyaltyAccount]) await m.delete(entity, { tenantId, customerId });
  }

  // Accounts

  /** Creates the account unless it exists, without failing (or aborting the transaction) on a race. */
  async ensureAccount(ref: AccountRef, tier: string, now: Date, m: EntityManager): Promise<void> {
    await this.ensureAccounts(ref.tenantId, [ref.customerId], tier, now, m);
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

  // Many accounts of one tenant at once (the sync of a batch of orders; see LoyaltyLedger.withAccounts)

  /**
   * Locks the accounts of these customers in customer-id order, creating the missing ones first. Which exist is read
   * without locks (a sync mostly sees customers that have an account, and sending every row to an INSERT that skips
   * them cost more than this read); then all are locked in one sorted statement. Locking the existing ones before
   * the missing were created would take locks out of order, and two syncs could deadlock.
   */
  async lockOrCreateAccounts(tenantId: string, customerIds: string[], tier: string, now: Date, m: EntityManager): Promise<LoyaltyAccount[]> {
    const have = await m
      .createQueryBuilder(LoyaltyAccount, 'a')
      .select('a.customer_id', 'id')
      .where(`a.tenant_id = :tenantId AND ${sqlDialect(this.driver).uuidIn('a.customer_id', 'ids')}`, { tenantId, ids: customerIds })
      .getRawMany<{ id: string }>();
    const existing = new Set(have.map((r) => String(r.id).toLowerCase()));
    const missing = customerIds.filter((id) => !existing.has(id.toLowerCase()));
    if (missing.length) await this.ensureAccounts(tenantId, missing, tier, now, m);
    return this.lockAccounts(tenantId, customerIds, m);
  }

  /** ensureAccount for many customers in one statement. */
  async ensureAccounts(tenantId: string, customerIds: string[], tier: string, now: Date, m: EntityManager): Promise<void> {
    const rows = customerIds.map((customerId) => accountRow({
      customerId, tenantId, balance: 0, lifetimeEarned: 0, tier: tier as LoyaltyAccount['tier'], tierSince: now, belowSince: null, tierEvaluatedAt: now, nextTierCheckAt: null, lastSeq: 0, createdAt: now, updatedAt: now,
    }));
    await bulkInsert(m, { table: 'loyalty_accounts', columns: ACCOUNT_COLUMNS, onConflict: 'ignore' }, rows);
  }

  /** lockAccount for many customers: the rows are locked in customer id order, so two syncs cannot deadlock. */
  lockAccounts(tenantId: string, customerIds: string[], m: EntityManager): Promise<LoyaltyAccount[]> {
    const qb = m
      .createQueryBuilder(LoyaltyAccount, 'a')
      .where(`a.tenant_id = :tenantId AND ${sqlDialect(this.driver).uuidIn('a.customer_id', 'ids')}`, { tenantId, ids: customerIds })
      .orderBy('a.customer_id', 'ASC');
    if (this.driver !== 'sqlite') qb.setLock('pessimistic_write');
    return qb.getMany();
  }

  /**
   * The open lots of many customers that have expired by `now` (expires_at <= now), by customer (FIFO order within
   * each): what a sync must settle before it changes an account. The other open lots are read only to take points.
   */
  async dueLotsOf(tenantId: string, customerIds: string[], now: Date, m: EntityManager): Promise<Map<string, LoyaltyLot[]>> {
    const rows = await m
      .createQueryBuilder(LoyaltyLot, 'l')
      .where(`l.tenant_id = :tenantId AND ${sqlDialect(this.driver).uuidIn('l.customer_id', 'ids')} AND l.is_open = :open AND l.expires_at <= :now`, { tenantId, ids: customerIds, open: true, now })
      .orderBy('l.earned_at', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .getMany();
    const out = new Map<string, LoyaltyLot[]>();
    for (const l of rows) addTo(out, l.customerId, l);
    return out;
  }

  /** qualifyingRows of many customers since one date, by customer. */
  async qualifyingRowsOf(tenantId: string, customerIds: string[], since: Date, m: EntityManager): Promise<Map<string, QualifyingRow[]>> {
    const rows = await m
      .createQueryBuilder(LoyaltyTransaction, 't')
      .select(['t.customerId', 't.qualifyingPoints', 't.occurredAt'])
      .where(`t.tenant_id = :tenantId AND ${sqlDialect(this.driver).uuidIn('t.customer_id', 'ids')} AND t.occurred_at > :since AND t.qualifying_points <> 0`, { tenantId, ids: customerIds, since })
      .getMany();
    const out = new Map<string, QualifyingRow[]>();
    for (const r of rows) addTo(out, r.customerId, { points: r.qualifyingPoints, at: r.occurredAt });
    return out;
  }

  /** New ledger rows and lots (buffered by LoyaltyLedger.withAccounts), one statement each. */
  async insertLedgerRows(transactions: LoyaltyTransaction[], lots: LoyaltyLot[], m: EntityManager): Promise<void> {
    await bulkInsert(m, {
      table: 'loyalty_transactions',
      columns: [
        { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'seq', kind: 'int' }, { name: 'type', kind: 'text' },
        { name: 'points', kind: 'int' }, { name: 'balance_after', kind: 'bigint' }, { name: 'qualifying_points', kind: 'int' }, { name: 'shortfall', kind: 'int' },
        { name: 'reason', kind: 'text' }, { name: 'reference', kind: 'text' }, { name: 'source_key', kind: 'text' }, { name: 'lot_id', kind: 'uuid' },
        { name: 'occurred_at', kind: 'timestamp' }, { name: 'created_by', kind: 'uuid' }, { name: 'created_at', kind: 'timestamp' },
      ],
      // A duplicate source key fails the transaction (it was checked under the account lock).
      onConflict: 'error',
    }, transactions.map((t) => ({
      id: t.id, tenant_id: t.tenantId, customer_id: t.customerId, seq: t.seq, type: t.type, points: t.points, balance_after: t.balanceAfter,
      qualifying_points: t.qualifyingPoints, shortfall: t.shortfall, reason: t.reason, reference: t.reference, source_key: t.sourceKey, lot_id: t.lotId,
      occurred_at: t.occurredAt, created_by: t.createdBy, created_at: t.createdAt,
    })));
    await bulkInsert(m, {
      table: 'loyalty_lots',
      columns: [
        { name: 'id', kind: 'uuid' }, { name: 'tenant_id', kind: 'uuid' }, { name: 'customer_id', kind: 'uuid' }, { name: 'transaction_id', kind: 'uuid' },
        { name: 'points', kind: 'int' }, { name: 'remaining', kind: 'int' }, { name: 'is_open', kind: 'bool' }, { name: 'earned_at', kind: 'timestamp' }, { name: 'expires_at', kind: 'timestamp' },
      ],
      onConflict: 'error',
    }, lots.map((l) => ({
      id: l.id, tenant_id: l.tenantId, customer_id: l.customerId, transaction_id: l.transactionId, points: l.points, remaining: l.remaining, is_open: l.isOpen,
      earned_at: l.earnedAt, expires_at: l.expiresAt,
    })));
  }

  /** saveAccount for many locked accounts, one statement. */
  async saveAccounts(accounts: LoyaltyAccount[], now: Date, m: EntityManager): Promise<void> {
    const set: Record<string, string> = {};
    for (const c of ACCOUNT_COLUMNS) if (c.name !== 'customer_id' && c.name !== 'tenant_id' && c.name !== 'created_at') set[c.name] = `excluded.${c.name}`;
    await bulkInsert(m, { table: 'loyalty_accounts', columns: ACCOUNT_COLUMNS, onConflict: { target: ['customer_id'], set } }, accounts.map((a) => accountRow({ ...a, updatedAt: now })));
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
  async findBySourceKeys(tenantId: string, sourceKeys: string[], m?: EntityManager): Promise<Map<string, LoyaltyTransaction>> {
    const sql = sqlDialect(this.driver);
    const rows = await inBindableChunks(sql, sourceKeys, (keys) =>
      this.m(m).createQueryBuilder(LoyaltyTransaction, 't').where(`t.tenant_id = :tenantId AND ${sql.textIn('t.source_key', 'keys')}`, { tenantId, keys }).getMany(),
    );
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
}
