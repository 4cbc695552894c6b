import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuthPrincipal, ROLES, Role } from './roles';

export interface AccessTokenClaims {
  sub: string;
  tenantId: string;
  role: Role;
  typ?: string;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      secretOrKey: config.jwt.secret,
      algorithms: ['HS256'],
    });
  }

  validate(claims: AccessTokenClaims): AuthPrincipal | false {
    if (claims.typ !== 'access' || !claims.tenantId || !ROLES.includes(claims.role)) return false;
    return { userId: claims.sub, tenantId: claims.tenantId, role: claims.role };
  }
}
