import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Tenant, TenantSettings } from './entities/tenant.entity';
import { IdentityRepository } from './identity.repository';

export const DEFAULT_BASE_CURRENCY = 'USD';

/** Tenant lookups for other modules (by id or slug) and tenant settings. */
@Injectable()
export class TenantsService {
  constructor(private readonly repo: IdentityRepository) {}

  /** `manager`: read inside that transaction (a caller holding locks must not wait for a second connection). */
  async get(idOrSlug: string, manager?: EntityManager): Promise<Tenant> {
    const t = await this.repo.findTenant(idOrSlug, manager);
    if (!t) throw AppError.notFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant', idOrSlug);
    return t;
  }

  /** Every tenant's id (background sweeps that visit each tenant). */
  ids(): Promise<string[]> {
    return this.repo.tenantIds();
  }

  find(idOrSlug: string): Promise<Tenant | null> {
    return this.repo.findTenant(idOrSlug);
  }

  /** Merges settings (baseCurrency...); keys left out stay as they are. */
  updateSettings(tenantId: string, patch: Partial<TenantSettings>): Promise<Tenant> {
    return this.update(tenantId, { settings: patch });
  }

  /** Renames the tenant and/or merges settings; fields left out (or undefined) stay as they are. */
  async update(tenantId: string, patch: { name?: string; settings?: Partial<TenantSettings> }): Promise<Tenant> {
    const t = await this.get(tenantId);
    const given = Object.entries(patch.settings ?? {}).filter(([, v]) => v !== undefined);
    await this.repo.updateTenant(tenantId, { name: patch.name ?? t.name, settings: { ...t.settings, ...Object.fromEntries(given) } });
    return this.get(tenantId);
  }

  /** The currency money is reported in (ISO 4217). */
  async baseCurrency(tenantId: string): Promise<string> {
    return (await this.get(tenantId)).settings.baseCurrency ?? DEFAULT_BASE_CURRENCY;
  }
}
