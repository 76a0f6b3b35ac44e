import { Injectable } from '@nestjs/common';
import {
  AuthUser,
  InvalidCredentialsError,
  LoginRateLimiter,
  LoginThrottledError,
  TokenService,
  User,
  UsersService,
} from '@imgsearch/auth';
import type { AccessTokenDto } from './dto/access-token.dto';
import type { LoginDto } from './dto/login.dto';
import type { SignupDto } from './dto/signup.dto';
import type { UserDto } from './dto/user.dto';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
    private readonly limiter: LoginRateLimiter,
  ) {}

  async signup(dto: SignupDto): Promise<UserDto> {
    return toUserDto(await this.users.signup(dto.username, dto.password));
  }

  /**
   * Every attempt counts against the username and the address before the password is checked.
   * Success clears the username's count (so a user's own typos do not lock them out later) but
   * not the address's, which keeps bounding guesses spread over many accounts.
   */
  async login(dto: LoginDto, address: string): Promise<AccessTokenDto> {
    const verdict = await this.limiter.consume(dto.username, address);
    if (!verdict.allowed) throw new LoginThrottledError(verdict.retryAfterSeconds);
    const user = await this.users.verifyCredentials(dto.username, dto.password);
    if (!user) throw new InvalidCredentialsError();
    await this.limiter.forgetUsername(dto.username);
    return this.tokens.issue(user);
  }

  logout(caller: AuthUser): Promise<void> {
    return this.tokens.revoke(caller.jti, caller.exp);
  }

  /** Read from the database, so a role changed since the token was issued shows at once. */
  async me(caller: AuthUser): Promise<UserDto> {
    return toUserDto(await this.users.get(caller.id));
  }
}

function toUserDto(user: User): UserDto {
  return { id: user.id, username: user.username, role: user.role };
}
