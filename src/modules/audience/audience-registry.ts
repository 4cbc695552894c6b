import { Injectable } from '@nestjs/common';

/** A page of segment members (customer ids) and where the next page starts. */
export interface AudiencePage {
  customerIds: string[];
  nextCursor: string | null;
}

/**
 * Segment membership as the segments module knows it. Webhook filters and campaign audiences ask it; the
 * segments module registers its implementation with AudienceRegistry.useAudienceResolver() at start-up.
 */
export interface AudienceResolver {
  segmentExists(tenantId: string, segmentId: string): Promise<boolean>;
  isMember(tenantId: string, segmentId: string, customerId: string): Promise<boolean>;
  /** Members in a stable order; `cursor` is the nextCursor of the previous page (null for the first). */
  listMembers(tenantId: string, segmentId: string, cursor: string | null, limit: number): Promise<AudiencePage>;
}

/** Loyalty tiers as the loyalty module knows them; registered with AudienceRegistry.useTierResolver(). */
export interface TierResolver {
  tierExists(tenantId: string, tier: string): Promise<boolean>;
  /** The customer's current tier name or id, null when the customer has none. */
  tierOf(tenantId: string, customerId: string): Promise<string | null>;
}

/**
 * Where segment and tier lookups are plugged in. Webhooks and campaigns depend on this registry, not on the
 * segments or loyalty modules, so those can register themselves without an import cycle.
 */
@Injectable()
export class AudienceRegistry {
  private audience: AudienceResolver | null = null;
  private tiers: TierResolver | null = null;

  useAudienceResolver(resolver: AudienceResolver): void {
    this.audience = resolver;
  }

  useTierResolver(resolver: TierResolver): void {
    this.tiers = resolver;
  }

  /** The registered segment resolver, or null when no segments module is installed. */
  audienceResolver(): AudienceResolver | null {
    return this.audience;
  }

  tierResolver(): TierResolver | null {
    return this.tiers;
  }
}
