import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC_KEY } from '@imgsearch/service';
import { JWT_STRATEGY } from './jwt.strategy';

/** Global guard: every route needs a valid, unrevoked bearer token unless marked `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
  }

  /** Turns passport's outcome into a 401 that says what is wrong with the token. */
  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error;
    if (!user) throw new UnauthorizedException(describeFailure(info));
    return user;
  }
}

function describeFailure(info: unknown): string {
  if (!(info instanceof Error)) return 'invalid token';
  if (info.message === 'No auth token') return 'missing bearer token';
  if (info.name === 'TokenExpiredError') return 'token expired';
  return 'invalid token';
}
