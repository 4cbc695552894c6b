export { IdentityModule } from './identity.module';
export { TenantsService, DEFAULT_BASE_CURRENCY } from './tenants.service';
export { TokenService } from './token.service';
export type { Tenant, TenantSettings } from './entities/tenant.entity';
