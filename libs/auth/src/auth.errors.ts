/** Refusals the auth domain reports; the HTTP layer maps each to a status. */
export abstract class AuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class UsernameTakenError extends AuthError {
  constructor() {
    super('username already taken');
  }
}

export class WeakPasswordError extends AuthError {
  /** @param unmetRules one sentence per rule the password breaks */
  constructor(readonly unmetRules: string[]) {
    super(unmetRules.join('; '));
  }
}

/** The same error for an unknown user and a wrong password, so neither can be told apart. */
export class InvalidCredentialsError extends AuthError {
  constructor() {
    super('invalid username or password');
  }
}

export class LoginThrottledError extends AuthError {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many login attempts; try again in ${retryAfterSeconds} seconds`);
  }
}

export class UserNotFoundError extends AuthError {
  constructor() {
    super('user not found');
  }
}

/** Refuses a role change that would leave no admin at all. */
export class LastAdminError extends AuthError {
  constructor() {
    super('the last admin cannot be demoted; promote another user first');
  }
}
