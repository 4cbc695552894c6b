import { Injectable } from '@nestjs/common';
import { TenantsService } from '../../identity';

export interface TenantInfo {
  id: string;
  slug: string;
  baseCurrency: string;
}

const TTL_MS = 30_000;

/**
 * Tenants by id or slug for ingestion, cached for 30 s so a batch does not look its tenant up per event.
 * Unknown tenants are not cached: a tenant registered a moment ago is found at once.
 */
@Injectable()
export class TenantDirectory {
  private readonly cache = new Map<string, { info: TenantInfo; until: number }>();

  constructor(private readonly tenants: TenantsService) {}

  async resolve(ref: string): Promise<TenantInfo | null> {
    const hit = this.cache.get(ref);
    if (hit && hit.until > Date.now()) return hit.info;
    const t = await this.tenants.find(ref);
    if (!t) return null;
    const info = { id: t.id, slug: t.slug, baseCurrency: t.settings.baseCurrency ?? 'USD' };
    const until = Date.now() + TTL_MS;
    this.cache.set(ref, { info, until });
    this.cache.set(t.id, { info, until });
    return info;
  }
}
