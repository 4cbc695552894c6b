import { TenantDto, UserDto } from './dto/auth.dto';
import { TenantDetailsDto } from './dto/tenant.dto';
import { DEFAULT_BASE_CURRENCY } from './tenants.service';
import { Tenant } from './entities/tenant.entity';
import { User } from './entities/user.entity';

export const toTenantDto = (t: Tenant): TenantDto => ({ id: t.id, name: t.name, slug: t.slug });
export const toUserDto = (u: User): UserDto => ({ id: u.id, email: u.email, role: u.role, createdAt: u.createdAt });

export const toTenantDetailsDto = (t: Tenant): TenantDetailsDto => ({
  id: t.id,
  name: t.name,
  slug: t.slug,
  settings: { ...t.settings, baseCurrency: t.settings.baseCurrency ?? DEFAULT_BASE_CURRENCY },
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});
