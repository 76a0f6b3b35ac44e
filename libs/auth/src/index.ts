export {
  AuthError,
  InvalidCredentialsError,
  LastAdminError,
  LoginThrottledError,
  UsernameTakenError,
  UserNotFoundError,
  WeakPasswordError,
} from './auth.errors';
export { AUTH_OPTIONS, AUTH_REDIS, type AuthOptions, type LoginLimits } from './auth.options';
export { ROLES, type AccessToken, type AuthUser, type Role, type User } from './auth.types';
export { CurrentUser } from './current-user.decorator';
export { JwtAuthGuard } from './jwt-auth.guard';
export { JWT_STRATEGY, JwtStrategy } from './jwt.strategy';
export { LoginRateLimiter, type LoginVerdict } from './login-rate.limiter';
export { PasswordHasher } from './password.hasher';
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, PasswordPolicy } from './password.policy';
export { RevokedTokensRepository } from './revoked-tokens.repository';
export { Roles, ROLES_KEY } from './roles.decorator';
export { RolesGuard } from './roles.guard';
export { TokenService, type TokenClaims } from './token.service';
export { UsersRepository, type NewUser, type UserRecord } from './users.repository';
export { UsersService, type EnsureAdminOutcome } from './users.service';
