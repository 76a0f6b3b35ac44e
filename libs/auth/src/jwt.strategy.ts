import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import { ROLES, type AuthUser } from './auth.types';
import { TokenService, type TokenClaims } from './token.service';

export const JWT_STRATEGY = 'jwt';

/** Verifies the bearer token's signature and expiry, then refuses it if it was revoked. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    @Inject(AUTH_OPTIONS) options: AuthOptions,
    private readonly tokens: TokenService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: options.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: Partial<TokenClaims> & { exp?: number }): Promise<AuthUser> {
    const { sub, username, role, jti, exp } = claims;
    const wellFormed =
      typeof sub === 'string' &&
      typeof username === 'string' &&
      ROLES.includes(role!) &&
      typeof jti === 'string' &&
      typeof exp === 'number';
    if (!wellFormed) throw new UnauthorizedException('invalid token');
    if (await this.tokens.isRevoked(jti)) throw new UnauthorizedException('token has been revoked');
    return { id: sub, username, role: role!, jti, exp };
  }
}
