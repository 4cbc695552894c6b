import { Injectable } from '@nestjs/common';
import { AppError, ErrorCode } from '../../shared/app-error';
import { Tenant, TenantSettings } from './entities/tenant.entity';
import { IdentityRepository } from './identity.repository';

/** Tenant lookups for other modules (by id or slug) and tenant settings. */
@Injectable()
export class TenantsService {
  constructor(private readonly repo: IdentityRepository) {}

  async get(idOrSlug: string): Promise<Tenant> {
    const t = await this.repo.findTenant(idOrSlug);
    if (!t) throw AppError.notFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant', idOrSlug);
    return t;
  }

  find(idOrSlug: string): Promise<Tenant | null> {
    return this.repo.findTenant(idOrSlug);
  }

  async updateSettings(tenantId: string, patch: Partial<TenantSettings>): Promise<Tenant> {
    const t = await this.get(tenantId);
    t.settings = { ...t.settings, ...patch };
    await this.repo.updateTenantSettings(tenantId, t.settings);
    return t;
  }
}
