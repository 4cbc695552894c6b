import { Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { isUniqueViolation } from '../../infra/database';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Page } from '../../shared/cursor';
import { CustomersService } from '../customers';
import { LoyaltySummaryDto, PointsChangeResultDto, TierChangeDto } from './dto/loyalty.dto';
import { LoyaltyTransaction } from './entities/loyalty-transaction.entity';
import { LedgerContext } from './ledger-context';
import { LoyaltyLedger } from './loyalty-ledger.service';
import { LoyaltyProgramService } from './loyalty-program.service';
import { toTransactionDto } from './loyalty.mapper';
import { LoyaltyIdempotencyRepository } from './loyalty-idempotency.repository';
import { LoyaltyRepository } from './loyalty.repository';
import { addDays } from './rules/loyalty-dates';
import { dueForExpiry, expiringBetween } from './rules/loyalty-lots';
import { evaluateTier } from './rules/loyalty-tiers';

const EXPIRING_SOON_DAYS = 30;

export interface PointsChange {
  points: number;
  reason: string;
  reference?: string;
}

export interface IdempotentResult<T> {
  body: T;
  /** True when an earlier request with the same Idempotency-Key answered this. */
  replayed: boolean;
}

/** Loyalty as the API sees it: a customer's summary and ledger, manual earn / redeem / adjust. */
@Injectable()
export class LoyaltyService {
  constructor(
    private readonly repo: LoyaltyRepository,
    private readonly ledger: LoyaltyLedger,
    private readonly programs: LoyaltyProgramService,
    private readonly customers: CustomersService,
    private readonly idempotency: LoyaltyIdempotencyRepository,
  ) {}

  /**
   * Balance, tier and what is about to expire, exact at `now` without writing: points whose lot expired but
   * that the sweep has not yet written off are left out, and a downgrade whose grace ended is applied.
   */
  async getLoyaltySummary(tenantId: string, customerId: string, now = new Date()): Promise<LoyaltySummaryDto> {
    await this.customers.assertExists(tenantId, customerId);
    const ref = { tenantId, customerId };
    const [program, account, lots] = await Promise.all([this.programs.rulesOf(tenantId), this.repo.findAccount(ref), this.repo.openLots(ref)]);
    const base = { tier: program.tiers[0].name, belowSince: null };
    const from = account && account.tierEvaluatedAt.getTime() <= now.getTime() ? account.tierEvaluatedAt : now;
    const series = await this.ledger.seriesOf(ref, program, { lifetimeEarned: account?.lifetimeEarned ?? 0 }, from);
    const ev = evaluateTier(program, account ? { tier: account.tier, belowSince: account.belowSince } : base, series, from, now);
    const qualifying = series.at(now);
    const rank = program.tiers.findIndex((t) => t.name === ev.state.tier);
    const next = program.tiers[rank + 1] ?? null;
    const unswept = dueForExpiry(lots, now).reduce((s, l) => s + l.remaining, 0);
    return {
      customerId,
      programEnabled: program.enabled,
      balance: (account?.balance ?? 0) - unswept,
      tier: ev.state.tier,
      nextTier: next?.name ?? null,
      pointsToNextTier: next ? Math.max(0, next.threshold - qualifying) : null,
      qualifyingPoints: qualifying,
      lifetimeEarned: account?.lifetimeEarned ?? 0,
      expiringSoon: expiringBetween(lots, now, addDays(now, EXPIRING_SOON_DAYS)),
      pendingDowngrade: ev.state.belowSince ? { at: addDays(ev.state.belowSince, program.downgradeGraceDays) } : null,
    };
  }

  async listTransactions(tenantId: string, customerId: string, q: { limit?: number; cursor?: string }): Promise<Page<LoyaltyTransaction>> {
    await this.customers.assertExists(tenantId, customerId);
    const limit = q.limit ?? 20;
    const r = await this.repo.listTransactions({ tenantId, customerId }, limit, q.cursor);
    return { data: r.rows, page: { limit, nextCursor: r.nextCursor } };
  }

  async tierHistory(tenantId: string, customerId: string, q: { limit?: number; cursor?: string }): Promise<Page<TierChangeDto>> {
    await this.customers.assertExists(tenantId, customerId);
    const limit = q.limit ?? 20;
    const r = await this.repo.tierHistory({ tenantId, customerId }, limit, q.cursor);
    const data = r.rows.map((h) => ({ fromTier: h.fromTier, toTier: h.toTier, reason: h.reason, qualifyingPoints: h.qualifyingPoints, effectiveAt: h.effectiveAt }));
    return { data, page: { limit, nextCursor: r.nextCursor } };
  }

  async earn(tenantId: string, customerId: string, change: PointsChange, actor: string, idemKey?: string): Promise<IdempotentResult<PointsChangeResultDto>> {
    await this.customers.assertExists(tenantId, customerId);
    const program = await this.programs.rulesOf(tenantId);
    if (!program.enabled) throw new AppError(ErrorCode.LOYALTY_PROGRAM_DISABLED, 'The loyalty program is disabled: points cannot be earned');
    return this.idempotent('loyalty.earn', tenantId, customerId, change, actor, idemKey, (ctx) =>
      this.ledger.credit(ctx, 'earn', change.points, { reason: change.reason, reference: change.reference ?? null }),
    );
  }

  async redeem(tenantId: string, customerId: string, change: PointsChange, actor: string, idemKey?: string): Promise<IdempotentResult<PointsChangeResultDto>> {
    await this.customers.assertExists(tenantId, customerId);
    return this.idempotent('loyalty.redeem', tenantId, customerId, change, actor, idemKey, (ctx) =>
      this.ledger.debit(ctx, 'redeem', change.points, { reason: change.reason, reference: change.reference ?? null }),
    );
  }

  /** Admin correction: positive adds a lot, negative takes points oldest first (INSUFFICIENT_POINTS past zero). */
  async adjust(tenantId: string, customerId: string, change: PointsChange, actor: string): Promise<PointsChangeResultDto> {
    await this.customers.assertExists(tenantId, customerId);
    const entry = { reason: change.reason, reference: change.reference ?? null };
    return this.ledger.withAccount(
      { tenantId, customerId },
      async (ctx) => this.resultOf(ctx, change.points > 0 ? await this.ledger.credit(ctx, 'adjust', change.points, entry) : await this.ledger.debit(ctx, 'adjust', -change.points, entry)),
      { actor },
    );
  }

  /** The answer to a change: the row, the balance after it and the tier it leads to. */
  private async resultOf(ctx: LedgerContext, t: LoyaltyTransaction): Promise<PointsChangeResultDto> {
    await this.ledger.evaluateTier(ctx);
    return { transaction: toTransactionDto(t), balance: ctx.account.balance, tier: ctx.account.tier };
  }

  /**
   * Same key + same request (customer and body) -> the stored answer; same key + another request -> 422
   * IDEMPOTENCY_KEY_REUSED. The key is stored in the transaction of the change, so a failed change leaves none.
   */
  private async idempotent(
    scope: string,
    tenantId: string,
    customerId: string,
    change: PointsChange,
    actor: string,
    idemKey: string | undefined,
    work: (ctx: LedgerContext) => Promise<LoyaltyTransaction>,
  ): Promise<IdempotentResult<PointsChangeResultDto>> {
    const requestHash = hashOf(customerId, change);
    const replay = (stored: { requestHash: string; response: Record<string, unknown> }): IdempotentResult<PointsChangeResultDto> => {
      if (stored.requestHash !== requestHash) {
        throw new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used with a different request', [
          { field: 'Idempotency-Key', message: 'was already used with another customer or body' },
        ]);
      }
      return { body: stored.response as unknown as PointsChangeResultDto, replayed: true };
    };
    try {
      return await this.ledger.withAccount(
        { tenantId, customerId },
        async (ctx) => {
          const stored = idemKey ? await this.idempotency.find(tenantId, scope, idemKey, ctx.m) : null;
          if (stored) return replay(stored);
          const body = await this.resultOf(ctx, await work(ctx));
          if (idemKey) {
            await this.idempotency.insert({ tenantId, scope, idemKey, requestHash, statusCode: 201, response: JSON.parse(JSON.stringify(body)) as Record<string, unknown> }, ctx.m);
          }
          return { body, replayed: false };
        },
        { actor },
      );
    } catch (e) {
      // Two requests with one key on different customers race past the lookup; the unique index decides.
      if (!idemKey || !isUniqueViolation(e)) throw e;
      const stored = await this.idempotency.find(tenantId, scope, idemKey);
      if (!stored) throw e;
      return replay(stored);
    }
  }
}


function hashOf(customerId: string, change: PointsChange): string {
  const canonical = JSON.stringify({ customerId, points: change.points, reason: change.reason, reference: change.reference ?? null });
  return createHash('sha256').update(canonical).digest('hex');
}
