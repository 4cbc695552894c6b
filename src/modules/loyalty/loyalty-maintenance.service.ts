import { Injectable, Logger } from '@nestjs/common';
import { AppError, ErrorCode } from '../../shared/app-error';
import { CustomerFilterClause } from '../customers';
import { LoyaltyLedger } from './loyalty-ledger.service';
import { LoyaltyProgramService } from './loyalty-program.service';
import { LoyaltyIdempotencyRepository } from './loyalty-idempotency.repository';
import { AccountRef, LoyaltyRepository } from './loyalty.repository';
import { addDays } from './rules/loyalty-dates';

const BATCH = 200;
const IDEMPOTENCY_KEY_DAYS = 7;

/** Time-driven loyalty work (expiry, grace periods, rolling windows), re-evaluation after program changes, list filter. */
@Injectable()
export class LoyaltyMaintenanceService {
  private readonly log = new Logger('LoyaltyMaintenance');

  constructor(
    private readonly repo: LoyaltyRepository,
    private readonly ledger: LoyaltyLedger,
    private readonly programs: LoyaltyProgramService,
    private readonly idempotency: LoyaltyIdempotencyRepository,
  ) {}

  /**
   * Expires every lot due by `now` (each at its own expiresAt) and applies every tier change due by now, one
   * account per transaction; then drops idempotency keys older than a week.
   */
  async sweep(now = new Date()): Promise<{ expiredAccounts: number; tierChecks: number; keysDropped: number }> {
    const expiredAccounts = await this.touchAll(() => this.repo.accountsWithDueLots(now, BATCH), now);
    const tierChecks = await this.touchAll(() => this.repo.accountsDueForTierCheck(now, BATCH), now);
    const keysDropped = await this.idempotency.deleteBefore(addDays(now, -IDEMPOTENCY_KEY_DAYS));
    if (expiredAccounts || tierChecks) this.log.log(`sweep: ${expiredAccounts} account(s) with expiring points, ${tierChecks} tier check(s)`);
    return { expiredAccounts, tierChecks, keysDropped };
  }

  /** Evaluates every account of the tenant under the current program (after a PUT of the program). */
  async reevaluateTenant(tenantId: string, now = new Date()): Promise<{ accounts: number }> {
    let accounts = 0;
    for (let after: string | null = null; ; ) {
      const ids = await this.repo.accountsOfTenant(tenantId, after, BATCH);
      if (!ids.length) break;
      for (const customerId of ids) await this.ledger.withAccount({ tenantId, customerId }, async () => undefined, { now }).catch(unlessErased);
      accounts += ids.length;
      after = ids[ids.length - 1];
    }
    return { accounts };
  }

  /** GET /customers?tier=...: members without an account (no activity yet) are in the program's first tier. */
  async tierFilter(tenantId: string, q: Record<string, unknown>): Promise<CustomerFilterClause[]> {
    const tiers = Array.isArray(q.tier) ? (q.tier as string[]) : [];
    if (!tiers.length) return [];
    const program = await this.programs.rulesOf(tenantId);
    // ix_loyalty_accounts_tenant_tier
    let sql = 'c.id IN (SELECT la.customer_id FROM loyalty_accounts la WHERE la.tenant_id = :ltTenant AND la.tier IN (:...ltTiers))';
    if (tiers.includes(program.tiers[0].name)) sql = `(${sql} OR NOT EXISTS (SELECT 1 FROM loyalty_accounts la2 WHERE la2.customer_id = c.id))`;
    return [{ sql, params: { ltTenant: tenantId, ltTiers: tiers } }];
  }

  /** Runs the ledger's settle + evaluate on each account `next` yields until it yields nothing new. */
  private async touchAll(next: () => Promise<AccountRef[]>, now: Date): Promise<number> {
    const seen = new Set<string>();
    for (;;) {
      const fresh = (await next()).filter((r) => !seen.has(r.customerId));
      if (!fresh.length) return seen.size;
      for (const ref of fresh) {
        seen.add(ref.customerId);
        try {
          await this.ledger.withAccount(ref, async () => undefined, { now }).catch(unlessErased);
        } catch (e) {
          // One broken account must not stop the sweep; the next sweep tries it again.
          this.log.error(`sweep of ${ref.customerId} failed: ${(e as Error).message}`);
        }
      }
    }
  }
}

/** A customer hard-deleted since its account was listed: the erasure took the account too, nothing to evaluate. */
function unlessErased(e: unknown): void {
  if (!(e instanceof AppError && e.code === ErrorCode.CUSTOMER_NOT_FOUND)) throw e;
}
