import { SetMetadata } from '@nestjs/common';
import type { Role } from './auth.types';

export const ROLES_KEY = 'imgsearch:roles';

/** Restricts a route or controller to callers holding one of these roles (checked by RolesGuard). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
