import { Inject, Injectable } from '@nestjs/common';
import { JobQueue } from '../../infra/queue';
import { AppError, ErrorCode } from '../../shared/app-error';
import { LoyaltyProgram } from './entities/loyalty-program.entity';
import { LOYALTY_JOBS, LOYALTY_QUEUE } from './loyalty.jobs';
import { LoyaltyRepository } from './loyalty.repository';
import { DEFAULT_PROGRAM, ProgramRules, programErrors } from './rules/loyalty-program.rules';

export interface ProgramView extends ProgramRules {
  /** True while the tenant runs the defaults (never saved a program). */
  isDefault: boolean;
  updatedAt: Date | null;
}

/** A tenant's loyalty program. Changing it affects future ledger rows only; tiers are re-evaluated in the background. */
@Injectable()
export class LoyaltyProgramService {
  constructor(
    private readonly repo: LoyaltyRepository,
    @Inject(JobQueue) private readonly jobs: JobQueue,
  ) {}

  async rulesOf(tenantId: string): Promise<ProgramRules> {
    const p = await this.repo.findProgram(tenantId);
    return p ? rulesOf(p) : DEFAULT_PROGRAM;
  }

  async get(tenantId: string): Promise<ProgramView> {
    const p = await this.repo.findProgram(tenantId);
    return p ? { ...rulesOf(p), isDefault: false, updatedAt: p.updatedAt } : { ...DEFAULT_PROGRAM, isDefault: true, updatedAt: null };
  }

  async put(tenantId: string, rules: ProgramRules): Promise<ProgramView> {
    const errors = programErrors(rules);
    if (errors.length) throw new AppError(ErrorCode.VALIDATION_FAILED, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
    const saved = await this.repo.saveProgram({
      tenantId,
      enabled: rules.enabled,
      pointsPerCurrencyUnit: rules.pointsPerCurrencyUnit,
      rounding: rules.rounding,
      expiryDays: rules.expiryDays,
      tierBasis: rules.tierBasis,
      tiers: rules.tiers.map((t) => ({ name: t.name, threshold: t.threshold })),
      downgradeGraceDays: rules.downgradeGraceDays,
    });
    // Thresholds, basis or grace may have moved: every member's tier is looked at again (never the ledger).
    await this.jobs.add(LOYALTY_QUEUE, LOYALTY_JOBS.reevaluateTenant, { tenantId }, { dedupeId: `reevaluate:${tenantId}` });
    return { ...rulesOf(saved), isDefault: false, updatedAt: saved.updatedAt };
  }
}

function rulesOf(p: LoyaltyProgram): ProgramRules {
  return {
    enabled: !!p.enabled,
    pointsPerCurrencyUnit: Number(p.pointsPerCurrencyUnit),
    rounding: p.rounding,
    expiryDays: p.expiryDays,
    tierBasis: p.tierBasis,
    tiers: p.tiers,
    downgradeGraceDays: p.downgradeGraceDays,
  };
}
