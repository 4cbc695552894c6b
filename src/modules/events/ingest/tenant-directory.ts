import { Injectable } from '@nestjs/common';
import { TenantsService } from '../../identity';

export interface TenantInfo {
  id: string;
  slug: string;
  baseCurrency: string;
}

const TTL_MS = 30_000;
const UNKNOWN_TTL_MS = 2_000;

/**
 * Tenants by id or slug for ingestion, cached for 30 s so a batch does not look its tenant up per event (a change of
 * base currency applies within that time). An unknown reference is remembered for 2 s only, so a flood of messages
 * for a missing tenant costs one query, and a tenant registered a moment ago is found almost at once.
 */
@Injectable()
export class TenantDirectory {
  private readonly cache = new Map<string, { info: TenantInfo | null; until: number }>();

  constructor(private readonly tenants: TenantsService) {}

  /** resolve() of each distinct reference (undefined ones skipped), by reference. */
  async resolveAll(refs: Array<string | undefined>): Promise<Map<string, TenantInfo | null>> {
    const out = new Map<string, TenantInfo | null>();
    for (const ref of refs) if (ref !== undefined && !out.has(ref)) out.set(ref, await this.resolve(ref));
    return out;
  }

  async resolve(ref: string): Promise<TenantInfo | null> {
    const hit = this.cache.get(ref);
    if (hit && hit.until > Date.now()) return hit.info;
    const t = await this.tenants.find(ref);
    if (!t) {
      this.cache.set(ref, { info: null, until: Date.now() + UNKNOWN_TTL_MS });
      return null;
    }
    const info = { id: t.id, slug: t.slug, baseCurrency: t.settings.baseCurrency ?? 'USD' };
    const until = Date.now() + TTL_MS;
    this.cache.set(ref, { info, until });
    this.cache.set(t.id, { info, until });
    return info;
  }
}
