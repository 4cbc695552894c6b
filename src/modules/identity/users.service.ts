import { Injectable } from '@nestjs/common';
import { isUniqueViolation, TransactionRunner } from '../../infra/database';
import { AuthPrincipal, roleAtLeast } from '../../infra/auth/roles';
import { AppError, ErrorCode } from '../../shared/app-error';
import { hashPassword } from './auth.service';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { User } from './entities/user.entity';
import { IdentityRepository } from './identity.repository';

/** User management inside one tenant (admin and owner). */
@Injectable()
export class UsersService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly tx: TransactionRunner,
  ) {}

  list(tenantId: string): Promise<User[]> {
    return this.repo.listUsers(tenantId);
  }

  async get(tenantId: string, id: string): Promise<User> {
    const user = await this.repo.findUser(tenantId, id);
    if (!user) throw AppError.notFound(ErrorCode.USER_NOT_FOUND, 'User', id);
    return user;
  }

  async create(actor: AuthPrincipal, dto: CreateUserDto): Promise<User> {
    this.assertMayGrant(actor, dto.role);
    if (await this.repo.findUserByEmail(dto.email)) throw this.emailTaken();
    try {
      return await this.repo.saveUser({ tenantId: actor.tenantId, email: dto.email, role: dto.role, passwordHash: await hashPassword(dto.password) });
    } catch (e) {
      if (isUniqueViolation(e)) throw this.emailTaken();
      throw e;
    }
  }

  async update(actor: AuthPrincipal, id: string, dto: UpdateUserDto): Promise<User> {
    return this.tx.run(async (m) => {
      const user = await this.repo.findUser(actor.tenantId, id, m);
      if (!user) throw AppError.notFound(ErrorCode.USER_NOT_FOUND, 'User', id);
      if (dto.role && dto.role !== user.role) {
        this.assertMayGrant(actor, dto.role);
        this.assertMayGrant(actor, user.role);
        if (user.role === 'owner' && (await this.repo.countOwners(actor.tenantId, m)) <= 1) throw this.lastOwner();
        user.role = dto.role;
      }
      if (dto.password) user.passwordHash = await hashPassword(dto.password);
      return this.repo.saveUser(user, m);
    });
  }

  async remove(actor: AuthPrincipal, id: string): Promise<void> {
    await this.tx.run(async (m) => {
      const user = await this.repo.findUser(actor.tenantId, id, m);
      if (!user) throw AppError.notFound(ErrorCode.USER_NOT_FOUND, 'User', id);
      this.assertMayGrant(actor, user.role);
      if (user.role === 'owner' && (await this.repo.countOwners(actor.tenantId, m)) <= 1) throw this.lastOwner();
      await this.repo.deleteUser(actor.tenantId, id, m);
    });
  }

  /** An admin manages agents and viewers and other admins; only an owner touches owners. */
  private assertMayGrant(actor: AuthPrincipal, role: User['role']): void {
    if (!roleAtLeast(actor.role, role)) {
      throw new AppError(ErrorCode.FORBIDDEN, `Only ${role} or higher may manage ${role} users`, { required: role });
    }
  }

  private emailTaken(): AppError {
    return new AppError(ErrorCode.EMAIL_TAKEN, 'A user with this email already exists', [{ field: 'email', message: 'is already registered' }]);
  }

  private lastOwner(): AppError {
    return new AppError(ErrorCode.LAST_OWNER, 'A tenant must keep at least one owner');
  }
}
