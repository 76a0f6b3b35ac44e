import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthUser, Role } from './auth.types';
import { ROLES_KEY } from './roles.decorator';
import { UsersService } from './users.service';

/**
 * Enforces `@Roles(...)` after JwtAuthGuard. It checks the role stored now rather than the one
 * in the token, so a demotion takes effect at once; only role-restricted routes pay the look-up.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UsersService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required?.length) return true;
    const caller = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    const role = caller && (await this.users.currentRole(caller.id));
    if (role && required.includes(role)) return true;
    throw new ForbiddenException(`${required.join(' or ')} role required`);
  }
}
