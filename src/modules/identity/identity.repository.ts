import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { RefreshToken } from './entities/refresh-token.entity';
import { Tenant } from './entities/tenant.entity';
import { User } from './entities/user.entity';

/** The only place that touches TypeORM for tenants, users and refresh tokens. */
@Injectable()
export class IdentityRepository {
  constructor(private readonly ds: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  slugExists(slug: string, manager?: EntityManager): Promise<boolean> {
    return this.m(manager).exists(Tenant, { where: { slug } });
  }

  insertTenant(tenant: Partial<Tenant>, manager?: EntityManager): Promise<Tenant> {
    return this.m(manager).save(Tenant, this.m(manager).create(Tenant, tenant));
  }

  async tenantIds(): Promise<string[]> {
    return (await this.ds.manager.find(Tenant, { select: { id: true }, order: { id: 'ASC' } })).map((t) => t.id);
  }

  findTenant(idOrSlug: string, manager?: EntityManager): Promise<Tenant | null> {
    const isUuid = /^[0-9a-f-]{36}$/i.test(idOrSlug);
    return (manager ?? this.ds.manager).findOne(Tenant, { where: isUuid ? [{ id: idOrSlug }, { slug: idOrSlug }] : { slug: idOrSlug } });
  }

  updateTenant(id: string, patch: { name: string; settings: Tenant['settings'] }): Promise<unknown> {
    return this.ds.manager.update(Tenant, { id }, { name: patch.name, settings: patch.settings as never, updatedAt: new Date() });
  }

  findUserByEmail(email: string): Promise<User | null> {
    return this.ds.manager.findOne(User, { where: { email } });
  }

  findUser(tenantId: string, id: string, manager?: EntityManager): Promise<User | null> {
    return this.m(manager).findOne(User, { where: { tenantId, id } });
  }

  findUserByIdAnyTenant(id: string): Promise<User | null> {
    return this.ds.manager.findOne(User, { where: { id } });
  }

  listUsers(tenantId: string): Promise<User[]> {
    return this.ds.manager.find(User, { where: { tenantId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  countOwners(tenantId: string, manager?: EntityManager): Promise<number> {
    return this.m(manager).count(User, { where: { tenantId, role: 'owner' } });
  }

  saveUser(user: Partial<User>, manager?: EntityManager): Promise<User> {
    return this.m(manager).save(User, this.m(manager).create(User, user));
  }

  deleteUser(tenantId: string, id: string, manager?: EntityManager): Promise<unknown> {
    return this.m(manager).delete(User, { tenantId, id });
  }

  insertRefreshToken(token: Partial<RefreshToken>, manager?: EntityManager): Promise<RefreshToken> {
    return this.m(manager).save(RefreshToken, this.m(manager).create(RefreshToken, token));
  }

  findRefreshToken(tokenHash: string): Promise<RefreshToken | null> {
    return this.ds.manager.findOne(RefreshToken, { where: { tokenHash } });
  }

  /** Marks a token used exactly once; false when another request got there first (reuse). */
  async claimRefreshToken(id: string, manager?: EntityManager): Promise<boolean> {
    const res = await this.m(manager).update(RefreshToken, { id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: new Date() });
    return (res.affected ?? 0) === 1;
  }

  revokeFamily(familyId: string): Promise<unknown> {
    return this.ds.manager.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
