import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID } from 'crypto';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { AccessTokenClaims } from '../../infra/auth';
import { Role } from '../../infra/auth/roles';
import { IdentityRepository } from './identity.repository';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Signs access tokens and issues rotating refresh tokens (stored only as hashes). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly repo: IdentityRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  signAccess(sub: string, tenantId: string, role: Role, ttlSeconds = this.config.jwt.accessTtlSeconds): string {
    const claims: AccessTokenClaims = { sub, tenantId, role, typ: 'access' };
    return this.jwt.sign(claims, { expiresIn: ttlSeconds });
  }

  async issuePair(user: { id: string; tenantId: string; role: Role }, familyId: string = randomUUID(), manager?: EntityManager): Promise<TokenPair> {
    const refreshToken = randomBytes(32).toString('base64url');
    await this.repo.insertRefreshToken(
      {
        userId: user.id,
        familyId,
        tokenHash: hashToken(refreshToken),
        expiresAt: new Date(Date.now() + this.config.jwt.refreshTtlSeconds * 1000),
        usedAt: null,
        revokedAt: null,
      },
      manager,
    );
    return { accessToken: this.signAccess(user.id, user.tenantId, user.role), refreshToken, expiresIn: this.config.jwt.accessTtlSeconds };
  }
}
