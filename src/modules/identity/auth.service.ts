import { Injectable } from '@nestjs/common';
import { compare, hash } from 'bcryptjs';
import { isUniqueViolation, TransactionRunner } from '../../infra/database';
import { AuthPrincipal } from '../../infra/auth/roles';
import { AppError, ErrorCode } from '../../shared/app-error';
import { LoginDto, RegisterDto } from './dto/auth.dto';
import { IdentityRepository } from './identity.repository';
import { hashToken, TokenPair, TokenService } from './token.service';
import { Tenant } from './entities/tenant.entity';
import { User } from './entities/user.entity';

const BCRYPT_COST = 10;
// Compared against when the email is unknown, so a missing user costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

export function slugify(name: string): string {
  const s = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return (s || 'tenant').slice(0, 60);
}

export const hashPassword = (password: string): Promise<string> => hash(password, BCRYPT_COST);

@Injectable()
export class AuthService {
  constructor(
    private readonly repo: IdentityRepository,
    private readonly tokens: TokenService,
    private readonly tx: TransactionRunner,
  ) {}

  async register(dto: RegisterDto): Promise<{ tenant: Tenant; user: User } & TokenPair> {
    if (await this.repo.findUserByEmail(dto.email)) {
      throw new AppError(ErrorCode.EMAIL_TAKEN, 'A user with this email already exists', [{ field: 'email', message: 'is already registered' }]);
    }
    const passwordHash = await hashPassword(dto.password);
    try {
      return await this.tx.run(async (m) => {
        const base = slugify(dto.tenantName);
        let slug = base;
        for (let i = 2; await this.repo.slugExists(slug, m); i++) slug = `${base}-${i}`;
        const tenant = await this.repo.insertTenant({ name: dto.tenantName.trim(), slug, settings: { baseCurrency: 'USD' } }, m);
        const user = await this.repo.saveUser({ tenantId: tenant.id, email: dto.email, passwordHash, role: 'owner' }, m);
        return { tenant, user, ...(await this.tokens.issuePair(user, undefined, m)) };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError(ErrorCode.EMAIL_TAKEN, 'A user with this email already exists');
      throw e;
    }
  }

  async login(dto: LoginDto): Promise<TokenPair> {
    const user = await this.repo.findUserByEmail(dto.email);
    dummyHash ??= hash('not-a-real-password', BCRYPT_COST);
    const ok = await compare(dto.password, user?.passwordHash ?? (await dummyHash));
    if (!user || !ok) throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'Email or password is wrong');
    return this.tokens.issuePair(user);
  }

  /** Rotates a refresh token. Presenting one that was already used revokes its whole family (theft signal). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const row = await this.repo.findRefreshToken(hashToken(refreshToken));
    if (!row) throw new AppError(ErrorCode.INVALID_REFRESH_TOKEN, 'Refresh token is not valid');
    if (row.revokedAt || row.expiresAt.getTime() < Date.now()) {
      throw new AppError(ErrorCode.INVALID_REFRESH_TOKEN, 'Refresh token has expired or was revoked');
    }
    const claimed = await this.repo.claimRefreshToken(row.id);
    if (!claimed) {
      await this.repo.revokeFamily(row.familyId);
      throw new AppError(ErrorCode.INVALID_REFRESH_TOKEN, 'Refresh token was already used; all sessions of this login are revoked');
    }
    const user = await this.repo.findUserByIdAnyTenant(row.userId);
    if (!user) throw new AppError(ErrorCode.INVALID_REFRESH_TOKEN, 'User no longer exists');
    return this.tokens.issuePair(user, row.familyId);
  }

  async me(principal: AuthPrincipal): Promise<{ user: User; tenant: Tenant }> {
    const user = await this.repo.findUser(principal.tenantId, principal.userId);
    const tenant = await this.repo.findTenant(principal.tenantId);
    if (!tenant) throw AppError.notFound(ErrorCode.TENANT_NOT_FOUND, 'Tenant', principal.tenantId);
    if (!user) {
      // Machine tokens (npm run token) have no user row.
      return { user: { id: principal.userId, email: '', role: principal.role } as User, tenant };
    }
    return { user, tenant };
  }
}
