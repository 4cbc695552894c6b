import { AudiencePage, AudienceResolver, TierResolver } from '../../src/modules/audience';
import { CustomersService } from '../../src/modules/customers';
import type { ListCustomersQueryDto } from '../../src/modules/customers/dto/list-customers.dto';

/**
 * Test stand-in for the segments module, backed by real customer data: segment "tag:<t>" is the customers
 * tagged <t>. The real segments module registers its own resolver the same way.
 */
export class TagAudienceResolver implements AudienceResolver {
  constructor(private readonly customers: CustomersService) {}

  private tagOf(segmentId: string): string | null {
    return segmentId.startsWith('tag:') ? segmentId.slice(4) : null;
  }

  async segmentExists(_tenantId: string, segmentId: string): Promise<boolean> {
    return this.tagOf(segmentId) !== null;
  }

  async isMember(tenantId: string, segmentId: string, customerId: string): Promise<boolean> {
    const tag = this.tagOf(segmentId);
    if (!tag) return false;
    try {
      return (await this.customers.get(tenantId, customerId)).tags.includes(tag);
    } catch {
      return false;
    }
  }

  async listMembers(tenantId: string, segmentId: string, cursor: string | null, limit: number): Promise<AudiencePage> {
    const tag = this.tagOf(segmentId);
    if (!tag) return { customerIds: [], nextCursor: null };
    const q = { tags: [tag], limit, sortBy: 'createdAt', sortOrder: 'asc', ...(cursor ? { cursor } : {}) } as unknown as ListCustomersQueryDto;
    const page = await this.customers.list(tenantId, q);
    return { customerIds: page.data.map((c) => c.id), nextCursor: page.page.nextCursor };
  }
}

/** Test stand-in for the loyalty module: a customer's tier is its `tier` attribute. */
export class AttributeTierResolver implements TierResolver {
  constructor(private readonly customers: CustomersService, private readonly tiers: string[] = ['bronze', 'silver', 'gold']) {}

  async tierExists(_tenantId: string, tier: string): Promise<boolean> {
    return this.tiers.includes(tier);
  }

  async tierOf(tenantId: string, customerId: string): Promise<string | null> {
    try {
      const t = (await this.customers.get(tenantId, customerId)).attributes.tier;
      return typeof t === 'string' ? t : null;
    } catch {
      return null;
    }
  }
}
