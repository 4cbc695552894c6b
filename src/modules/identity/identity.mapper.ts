import { TenantDto, UserDto } from './dto/auth.dto';
import { Tenant } from './entities/tenant.entity';
import { User } from './entities/user.entity';

export const toTenantDto = (t: Tenant): TenantDto => ({ id: t.id, name: t.name, slug: t.slug });
export const toUserDto = (u: User): UserDto => ({ id: u.id, email: u.email, role: u.role, createdAt: u.createdAt });
