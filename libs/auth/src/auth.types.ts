export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** A stored user, without the password hash. */
export interface User {
  id: string;
  /** Always lower-case: names are unique regardless of case. */
  username: string;
  role: Role;
  createdAt: Date;
}

/** The caller of a request, as its verified access token describes them. */
export interface AuthUser {
  id: string;
  username: string;
  /** The role when the token was issued; admin routes re-read the current one. */
  role: Role;
  /** Token id, the handle used to revoke it. */
  jti: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  /** Lifetime in seconds. */
  expiresIn: number;
}
