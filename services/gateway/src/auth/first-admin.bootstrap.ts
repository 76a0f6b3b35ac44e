import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UsersService, WeakPasswordError } from '@imgsearch/auth';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

/** Creates the admin named by ADMIN_USERNAME / ADMIN_PASSWORD when the application starts. */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(FirstAdminBootstrap.name);

  constructor(
    private readonly users: UsersService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = this.config;
    if (!username || !password) {
      if (username || password)
        this.logger.warn('ADMIN_USERNAME and ADMIN_PASSWORD must both be set; no admin ensured');
      return;
    }
    const outcome = await this.users.ensureAdmin(username, password).catch((error: unknown) => {
      if (error instanceof WeakPasswordError)
        throw new Error(`ADMIN_PASSWORD is refused: ${error.message}`);
      throw error;
    });
    if (outcome === 'created') this.logger.log(`created admin "${username.toLowerCase()}"`);
    if (outcome === 'not-admin') {
      this.logger.warn(
        `ADMIN_USERNAME "${username}" belongs to an ordinary user, who is left as is; choose another name`,
      );
    }
  }
}
