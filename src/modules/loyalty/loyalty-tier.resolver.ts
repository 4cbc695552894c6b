import { Injectable, OnModuleInit } from '@nestjs/common';
import { isUuid } from '../../shared/uuid';
import { AudienceRegistry, TierResolver } from '../audience';
import { LoyaltyProgramService } from './loyalty-program.service';
import { LoyaltyRepository } from './loyalty.repository';

/** Loyalty tiers for webhook filters: the tenant's program tiers and each account's current tier. */
@Injectable()
export class LoyaltyTierResolver implements TierResolver, OnModuleInit {
  constructor(
    private readonly repo: LoyaltyRepository,
    private readonly programs: LoyaltyProgramService,
    private readonly registry: AudienceRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.useTierResolver(this);
  }

  async tierExists(tenantId: string, tier: string): Promise<boolean> {
    return (await this.programs.rulesOf(tenantId)).tiers.some((t) => t.name === tier);
  }

  /** A customer without an account yet is in the program's first tier. */
  async tierOf(tenantId: string, customerId: string): Promise<string | null> {
    if (!isUuid(customerId)) return null;
    const account = await this.repo.findAccount({ tenantId, customerId });
    return account?.tier ?? (await this.programs.rulesOf(tenantId)).tiers[0]?.name ?? null;
  }
}
