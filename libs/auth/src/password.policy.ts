import { Injectable } from '@nestjs/common';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

@Injectable()
export class PasswordPolicy {
  /** The rules the password breaks, as sentences a user can act on; empty when it is acceptable. */
  check(password: string, username: string): string[] {
    const characters = [...password];
    const unmet: string[] = [];
    if (characters.length < PASSWORD_MIN_LENGTH) {
      unmet.push(`password must be at least ${PASSWORD_MIN_LENGTH} characters long`);
    }
    if (characters.length > PASSWORD_MAX_LENGTH) {
      unmet.push(`password must be at most ${PASSWORD_MAX_LENGTH} characters long`);
    }
    if (characters.length > 1 && new Set(characters).size === 1) {
      unmet.push('password must not be one character repeated');
    }
    if (password.toLowerCase() === username.toLowerCase()) {
      unmet.push('password must not be the same as the username');
    }
    return unmet;
  }
}
