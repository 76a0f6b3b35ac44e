import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Credentials {
  url: string;
  /** Absent after logout: the server revoked it. */
  token?: string;
  username: string;
}

/** Where `imgsearch login` keeps the token: a file only the user can read. */
export class CredentialsStore {
  readonly path: string;

  constructor(configDir = join(homedir(), '.config', 'imgsearch')) {
    this.path = join(configDir, 'credentials.json');
  }

  load(): Credentials | undefined {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Credentials;
    } catch {
      return undefined;
    }
  }

  /** Forgets the saved token (after logout, when the server has revoked it) but keeps the URL. */
  forgetToken(): void {
    const saved = this.load();
    if (saved) this.save({ url: saved.url, username: saved.username });
  }

  save(credentials: Credentials): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileSync(this.path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  }
}
