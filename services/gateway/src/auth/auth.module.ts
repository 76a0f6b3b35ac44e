import { DynamicModule, InjectionToken, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import {
  AUTH_OPTIONS,
  AUTH_REDIS,
  AuthOptions,
  JwtAuthGuard,
  JwtStrategy,
  LoginRateLimiter,
  PasswordHasher,
  PasswordPolicy,
  RevokedTokensRepository,
  RolesGuard,
  TokenService,
  UsersRepository,
  UsersService,
} from '@imgsearch/auth';
import { DatabaseModule, DatabaseOptions, pingDatabase } from '@imgsearch/database';
import type { ReadinessCheck } from '@imgsearch/service';
import type { Knex } from 'knex';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';
import { UsersController } from '../users/users.controller';
import { UsersAdminService } from '../users/users-admin.service';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { FirstAdminBootstrap } from './first-admin.bootstrap';

/** The knex instance (global, migrated at start): inject it with `@Inject(DATABASE)`. */
export { DATABASE } from '@imgsearch/database';

export interface AuthModuleOptions {
  /**
   * Token of the ioredis client that holds login attempt counters: the gateway's GATEWAY_REDIS.
   * Passed in rather than imported so this module does not import gateway.module.ts, which imports it.
   */
  redis: InjectionToken;
}

/**
 * Users, tokens and the global guards (JwtAuthGuard, then RolesGuard), plus the database they
 * live in, which it opens, migrates and closes for the whole application.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        DatabaseModule.forRootAsync({ inject: [GATEWAY_CONFIG], useFactory: databaseOptions }),
        PassportModule,
        JwtModule.register({}),
      ],
      controllers: [AuthController, UsersController],
      providers: [
        { provide: AUTH_OPTIONS, inject: [GATEWAY_CONFIG], useFactory: authOptions },
        { provide: AUTH_REDIS, useExisting: options.redis },
        PasswordHasher,
        PasswordPolicy,
        UsersRepository,
        UsersService,
        RevokedTokensRepository,
        TokenService,
        LoginRateLimiter,
        JwtStrategy,
        AuthService,
        UsersAdminService,
        FirstAdminBootstrap,
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [DatabaseModule, UsersService, TokenService],
    };
  }
}

/** For ServiceModule's readiness list: `inject: [DATABASE]`, then `databaseReadinessCheck(db)`. */
export function databaseReadinessCheck(database: Knex): ReadinessCheck {
  return { name: 'database', check: () => pingDatabase(database) };
}

function databaseOptions(config: GatewayConfig): DatabaseOptions {
  return { databaseUrl: config.DATABASE_URL, sqlitePath: config.SQLITE_PATH };
}

function authOptions(config: GatewayConfig): AuthOptions {
  return {
    jwtSecret: config.JWT_SECRET,
    tokenTtlSeconds: config.JWT_EXPIRES_IN_SECONDS,
    loginLimits: {
      maxPerUsername: config.LOGIN_MAX_ATTEMPTS_PER_USERNAME,
      maxPerAddress: config.LOGIN_MAX_ATTEMPTS_PER_ADDRESS,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
      keyPrefix: config.QUEUE_PREFIX,
    },
  };
}
