import { Injectable } from '@nestjs/common';
import { DomainEventBus } from '../../infra/domain-events';
import { randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { TransactionRunner } from '../../infra/database';
import { AppError, ErrorCode } from '../../shared/app-error';
import { DomainEvent } from '../../shared/domain-event';
import { CustomersService } from '../customers';
import { KeyedMutex } from './account-lock';
import { LoyaltyAccount } from './entities/loyalty-account.entity';
import { LoyaltyLot } from './entities/loyalty-lot.entity';
import { LoyaltyTierChange } from './entities/loyalty-tier-change.entity';
import { LoyaltyTransaction, LoyaltyTransactionType } from './entities/loyalty-transaction.entity';
import { LoyaltyProgramService } from './loyalty-program.service';
import { LedgerContext, LedgerEntry, LedgerWrites } from './ledger-context';
import { AccountRef, LoyaltyRepository } from './loyalty.repository';
import { LOYALTY_EVENTS, LoyaltyPointsEvent, LoyaltyTierChangedEvent } from './loyalty.events';
import { addDays, addMonthsUtc } from './rules/loyalty-dates';
import { allocate, dueForExpiry } from './rules/loyalty-lots';
import { ProgramRules } from './rules/loyalty-program.rules';
import { evaluateTier, QualifyingSeries, seriesFor } from './rules/loyalty-tiers';

/** Ledger row types announced as domain events (webhooks: loyalty.points_*). */
const POINTS_EVENT_OF: Partial<Record<LoyaltyTransactionType, string>> = {
  earn: LOYALTY_EVENTS.pointsEarned,
  redeem: LOYALTY_EVENTS.pointsRedeemed,
  expire: LOYALTY_EVENTS.pointsExpired,
};

/**
 * The points ledger. Every change runs in withAccount: lock the account, expire what is due (each lot at its
 * expiresAt), apply the change (appending rows with balanceAfter), re-evaluate the tier, commit, then emit.
 * Balance = sum of the ledger = sum of the open lots' remaining points, and never goes below zero.
 */
@Injectable()
export class LoyaltyLedger {
  private readonly sqliteLocks = new KeyedMutex();

  constructor(
    private readonly repo: LoyaltyRepository,
    private readonly programs: LoyaltyProgramService,
    private readonly tx: TransactionRunner,
    private readonly events: DomainEventBus,
    private readonly customers: CustomersService,
  ) {}

  async withAccount<T>(account: AccountRef, work: (ctx: LedgerContext) => Promise<T>, opts: { now?: Date; actor?: string | null } = {}): Promise<T> {
    const ref = { tenantId: account.tenantId, customerId: account.customerId };
    const now = opts.now ?? new Date();
    const program = await this.programs.rulesOf(ref.tenantId);
    const emitted: DomainEvent[] = [];
    const run = () =>
      this.tx.run(async (m) => {
        // The loyalty tables have no foreign key to customers (migration 1733420000000): the customer must exist,
        // and the tenant's erasure lock keeps a hard delete from removing it before this commits.
        if (!(await this.customers.lockExisting(ref.tenantId, [ref.customerId], m)).size) throw AppError.notFound(ErrorCode.CUSTOMER_NOT_FOUND, 'Customer', ref.customerId);
        await this.repo.ensureAccount(ref, program.tiers[0].name, now, m);
        const account = (await this.repo.lockAccount(ref, m))!;
        const lots = await this.repo.openLots(ref, m);
        const ctx: LedgerContext = { ref, m, account, lots, program, now, actor: opts.actor ?? null, events: [] };
        await this.settleExpiries(ctx);
        const result = await work(ctx);
        await this.evaluateTier(ctx);
        await this.repo.saveAccount(account, m);
        emitted.push(...ctx.events);
        return result;
      });
    const result = this.repo.driver === 'sqlite' ? await this.sqliteLocks.run(ref.customerId, run) : await run();
    this.events.publish(emitted);
    return result;
  }

  /**
   * withAccount for many customers of one tenant in one transaction (the sync of a batch of orders): accounts are
   * created, locked (in id order) and read with their open lots in a statement each; the work's ledger rows and lots
   * are buffered and inserted in one statement each; the tiers are evaluated from one read of the qualifying rows;
   * the accounts are saved in one statement. The same ledger rules as withAccount, without ~20 statements per account.
   * On SQLite the shared connection's lock serialises this transaction with every other (see serializeSqliteConnection).
   * Customers that no longer exist (hard-deleted since their orders were read) get no context.
   */
  async withAccounts<T>(tenantId: string, customerIds: string[], work: (ctxs: Map<string, LedgerContext>, m: EntityManager) => Promise<T>, opts: { now?: Date } = {}): Promise<T> {
    const now = opts.now ?? new Date();
    const program = await this.programs.rulesOf(tenantId);
    const emitted: DomainEvent[] = [];
    const result = await this.tx.run(async (m) => {
      // As in withAccount: no foreign key to customers, so only existing ones, under the tenant's erasure lock.
      const live = await this.customers.lockExisting(tenantId, customerIds, m);
      const ids = [...new Set(customerIds)].filter((id) => live.has(id.toLowerCase())).sort();
      if (!ids.length) return work(new Map(), m);
      const accounts = await this.repo.lockOrCreateAccounts(tenantId, ids, program.tiers[0].name, now, m);
      // Earning needs no lot but the due ones: a customer's open lots are read only if points are taken from them
      // (a refund's reversal), not on every sync (they grow with every purchase until they expire).
      const lots = await this.repo.dueLotsOf(tenantId, ids, now, m);
      const writes: LedgerWrites = { transactions: [], lots: [], lotUpdates: new Map() };
      const ctxs = new Map<string, LedgerContext>();
      for (const account of accounts) {
        const ref = { tenantId, customerId: account.customerId };
        const ctx: LedgerContext = { ref, m, account, lots: lots.get(account.customerId) ?? [], lotsPartial: true, program, now, actor: null, events: [], writes };
        await this.settleExpiries(ctx);
        ctxs.set(account.customerId, ctx);
      }
      const out = await work(ctxs, m);
      await this.flush(writes, m);
      await this.evaluateTiers([...ctxs.values()], m);
      await this.repo.saveAccounts(accounts, now, m);
      for (const ctx of ctxs.values()) emitted.push(...ctx.events);
      return out;
    });
    this.events.publish(emitted);
    return result;
  }

  private async flush(w: LedgerWrites, m: EntityManager): Promise<void> {
    const fresh = new Set(w.lots.map((l) => l.id));
    await this.repo.insertLedgerRows(w.transactions, w.lots, m);
    for (const [id, remaining] of w.lotUpdates) if (!fresh.has(id)) await this.repo.updateLot(id, remaining, m);
    w.transactions = [];
    w.lots = [];
    w.lotUpdates.clear();
  }

  /** Adds points as a new lot expiring after the program's expiryDays (fixed now, whatever the program later says). */
  async credit(ctx: LedgerContext, type: Extract<LoyaltyTransactionType, 'earn' | 'adjust'>, points: number, entry: LedgerEntry): Promise<LoyaltyTransaction> {
    const lotId = randomUUID();
    const row = await this.append(ctx, { type, points, qualifyingPoints: points, lotId, ...entry });
    const expiresAt = ctx.program.expiryDays === null ? null : addDays(ctx.now, ctx.program.expiryDays);
    const fields = { id: lotId, tenantId: ctx.ref.tenantId, customerId: ctx.ref.customerId, transactionId: row.id, points, remaining: points, isOpen: true, earnedAt: ctx.now, expiresAt };
    let lot: LoyaltyLot;
    if (ctx.writes) ctx.writes.lots.push((lot = ctx.m.create(LoyaltyLot, fields)));
    else lot = await this.repo.insertLot(fields, ctx.m);
    ctx.lots.push(lot);
    return row;
  }

  /** Takes points oldest-lot first; more than the balance is refused (INSUFFICIENT_POINTS) and nothing is written. */
  async debit(ctx: LedgerContext, type: Extract<LoyaltyTransactionType, 'redeem' | 'adjust'>, points: number, entry: LedgerEntry): Promise<LoyaltyTransaction> {
    if (points > ctx.account.balance) {
      throw new AppError(ErrorCode.INSUFFICIENT_POINTS, `points: ${points} requested but the balance is ${ctx.account.balance}`, [
        { field: 'points', message: `exceeds the balance of ${ctx.account.balance}` },
      ]);
    }
    await this.consume(ctx, points);
    return this.append(ctx, { type, points: -points, qualifyingPoints: type === 'adjust' ? -points : 0, ...entry });
  }

  /**
   * Takes back points of a refunded order: from the order's own lot first, then oldest first, never below zero.
   * What the balance cannot cover is recorded as the row's shortfall; qualification drops by the full amount.
   */
  async reverse(ctx: LedgerContext, wanted: number, preferLotId: string | null, entry: LedgerEntry): Promise<LoyaltyTransaction> {
    const taken = Math.min(wanted, ctx.account.balance);
    await this.consume(ctx, taken, preferLotId ?? undefined);
    return this.append(ctx, { type: 'reverse', points: -taken, qualifyingPoints: -wanted, shortfall: wanted - taken, ...entry });
  }

  private async consume(ctx: LedgerContext, points: number, preferLotId?: string): Promise<void> {
    if (points <= 0) return;
    if (ctx.lotsPartial) await this.completeLots(ctx);
    const { allocations, shortfall } = allocate(ctx.lots, points, ctx.now, preferLotId);
    if (shortfall > 0) throw new AppError(ErrorCode.INTERNAL, `loyalty lots of ${ctx.ref.customerId} do not match the balance`);
    for (const a of allocations) {
      const lot = ctx.lots.find((l) => l.id === a.lotId)!;
      lot.remaining -= a.points;
      lot.isOpen = lot.remaining > 0;
      await this.updateLot(ctx, lot);
    }
    ctx.lots = ctx.lots.filter((l) => l.isOpen);
  }

  /**
   * Adds the account's open lots this transaction has not seen yet: the stored ones, less those it already holds or
   * has changed (an expired lot's update is buffered until flush, so the database still shows it open).
   */
  private async completeLots(ctx: LedgerContext): Promise<void> {
    const known = new Set(ctx.lots.map((l) => l.id));
    const changed = ctx.writes?.lotUpdates;
    const stored = await this.repo.openLots(ctx.ref, ctx.m);
    ctx.lots = [...stored.filter((l) => !known.has(l.id) && !changed?.has(l.id)), ...ctx.lots];
    ctx.lotsPartial = false;
  }

  /** Expires what remains of each due lot, dated at the lot's expiresAt, before anything else touches the account. */
  private async settleExpiries(ctx: LedgerContext): Promise<void> {
    for (const lot of dueForExpiry(ctx.lots, ctx.now)) {
      const points = lot.remaining;
      lot.remaining = 0;
      lot.isOpen = false;
      await this.updateLot(ctx, lot);
      await this.append(ctx, {
        type: 'expire', points: -points, qualifyingPoints: 0, lotId: lot.id, reason: 'points expired', reference: null,
        sourceKey: `expire:${lot.id}`, occurredAt: lot.expiresAt!, system: true,
      });
    }
    ctx.lots = ctx.lots.filter((l) => l.isOpen);
  }

  /** A lot bought from: written at once, or (withAccounts) with the batch; a lot inserted by the batch goes in as it ends up. */
  private async updateLot(ctx: LedgerContext, lot: LoyaltyLot): Promise<void> {
    if (ctx.writes) ctx.writes.lotUpdates.set(lot.id, lot.remaining);
    else await this.repo.updateLot(lot.id, lot.remaining, ctx.m);
  }

  private async append(
    ctx: LedgerContext,
    r: { type: LoyaltyTransactionType; points: number; qualifyingPoints: number; shortfall?: number; lotId?: string; occurredAt?: Date; system?: boolean } & LedgerEntry,
  ): Promise<LoyaltyTransaction> {
    const row = await this.insertRow(ctx, r);
    const name = POINTS_EVENT_OF[r.type];
    if (name) {
      const payload: LoyaltyPointsEvent = {
        ...ctx.ref, transactionId: row.id, points: row.points, balanceAfter: row.balanceAfter, reason: row.reason, reference: row.reference,
        occurredAt: new Date(row.occurredAt).toISOString(), dedupeKey: `loyalty:${row.id}`,
      };
      ctx.events.push({ name, payload });
    }
    return row;
  }

  private insertRow(
    ctx: LedgerContext,
    r: { type: LoyaltyTransactionType; points: number; qualifyingPoints: number; shortfall?: number; lotId?: string; occurredAt?: Date; system?: boolean } & LedgerEntry,
  ): Promise<LoyaltyTransaction> {
    const a = ctx.account;
    a.balance += r.points;
    if (a.balance < 0) throw new AppError(ErrorCode.INTERNAL, `loyalty balance of ${ctx.ref.customerId} would go below zero`);
    a.lifetimeEarned += r.qualifyingPoints;
    a.lastSeq += 1;
    const fields = {
      tenantId: ctx.ref.tenantId, customerId: ctx.ref.customerId, seq: a.lastSeq, type: r.type, points: r.points, balanceAfter: a.balance,
      qualifyingPoints: r.qualifyingPoints, shortfall: r.shortfall ?? 0, reason: r.reason, reference: r.reference,
      sourceKey: r.sourceKey ?? `api:${randomUUID()}`, lotId: r.lotId ?? null, occurredAt: r.occurredAt ?? ctx.now, createdBy: r.system ? null : ctx.actor,
    };
    if (!ctx.writes) return this.repo.insertTransaction(fields, ctx.m);
    const row = ctx.m.create(LoyaltyTransaction, { id: randomUUID(), ...fields, createdAt: ctx.now });
    ctx.writes.transactions.push(row);
    return Promise.resolve(row);
  }

  /**
   * Applies tier changes up to now and keeps them as history (events go out after commit). withAccount calls it
   * after the work; work that answers with the tier calls it first (a second call finds nothing new).
   */
  async evaluateTier(ctx: LedgerContext): Promise<void> {
    if (ctx.writes) await this.flush(ctx.writes, ctx.m);
    const from = this.tierFrom(ctx);
    const series = await this.seriesOf(ctx.ref, ctx.program, ctx.account, from, ctx.m);
    await this.repo.insertTierChanges(this.applyTier(ctx, series, from), ctx.m);
  }

  /** evaluateTier for many accounts of one tenant (withAccounts): one read of their qualifying rows, one insert. */
  private async evaluateTiers(ctxs: LedgerContext[], m: EntityManager): Promise<void> {
    if (!ctxs.length) return;
    const program = ctxs[0].program;
    const from = new Map(ctxs.map((ctx) => [ctx, this.tierFrom(ctx)]));
    const since = new Map(ctxs.map((ctx) => [ctx, sinceFor(program, from.get(ctx)!)]));
    const earliest = new Date(Math.min(...[...since.values()].map((d) => d.getTime())));
    const rows = await this.repo.qualifyingRowsOf(ctxs[0].ref.tenantId, ctxs.map((c) => c.ref.customerId), earliest, m);
    const changes: Array<Partial<LoyaltyTierChange>> = [];
    for (const ctx of ctxs) {
      const after = since.get(ctx)!.getTime();
      const mine = (rows.get(ctx.ref.customerId) ?? []).filter((r) => r.at.getTime() > after);
      changes.push(...this.applyTier(ctx, seriesFor(program.tierBasis, ctx.account.lifetimeEarned, mine, from.get(ctx)!), from.get(ctx)!));
    }
    await this.repo.insertTierChanges(changes, m);
  }

  private tierFrom(ctx: LedgerContext): Date {
    return ctx.account.tierEvaluatedAt.getTime() <= ctx.now.getTime() ? ctx.account.tierEvaluatedAt : ctx.now;
  }

  /** Applies the tier rules to the account (events queued on ctx); returns the history rows to insert. */
  private applyTier(ctx: LedgerContext, series: QualifyingSeries, from: Date): Array<Partial<LoyaltyTierChange>> {
    const a = ctx.account;
    const ev = evaluateTier(ctx.program, { tier: a.tier, belowSince: a.belowSince }, series, from, ctx.now);
    a.tier = ev.state.tier;
    a.belowSince = ev.state.belowSince;
    a.tierEvaluatedAt = ctx.now;
    a.nextTierCheckAt = ev.nextCheckAt;
    if (!ev.changes.length) return [];
    a.tierSince = ev.changes[ev.changes.length - 1].at;
    for (const c of ev.changes) {
      const payload: LoyaltyTierChangedEvent = {
        ...ctx.ref, fromTier: c.from, toTier: c.to, reason: c.reason, qualifyingPoints: c.qualifyingPoints, effectiveAt: c.at.toISOString(),
      };
      ctx.events.push({ name: LOYALTY_EVENTS.tierChanged, payload });
    }
    return ev.changes.map((c) => ({ ...ctx.ref, fromTier: c.from, toTier: c.to, reason: c.reason, qualifyingPoints: c.qualifyingPoints, effectiveAt: c.at }));
  }

  /** Qualifying points over time for the tier rules: the rows since `from` (lifetime) or since a year before it. */
  async seriesOf(ref: AccountRef, program: ProgramRules, a: Pick<LoyaltyAccount, 'lifetimeEarned'>, from: Date, m?: EntityManager): Promise<QualifyingSeries> {
    return seriesFor(program.tierBasis, a.lifetimeEarned, await this.repo.qualifyingRows(ref, sinceFor(program, from), m), from);
  }
}

/** The qualifying rows the tier rules need when evaluating from `from`: since then (lifetime) or a year before it. */
function sinceFor(program: ProgramRules, from: Date): Date {
  return program.tierBasis === 'lifetime' ? from : addDays(addMonthsUtc(from, -12), -1);
}
