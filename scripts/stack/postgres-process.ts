import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { ManagedProcess, startProcess, waitUntil } from './child-process';

export interface PostgresInstance {
  /** Connection string of an empty database `imgsearch`, user `postgres`, no password. */
  url: string;
  process: ManagedProcess;
}

const INSTALL_ROOT = '/usr/lib/postgresql';
const DATABASE_NAME = 'imgsearch';

/**
 * Starts a private, throw-away PostgreSQL in `dataDir` on a free port: trust authentication,
 * no fsync, unix socket inside `dataDir`. As root it runs as the `postgres` OS user, since
 * initdb refuses root; `dataDir` is then handed to that user, so it must not sit inside a
 * folder only root can enter (a fresh `mkdtemp` folder is fine).
 */
export async function startPostgres(dataDir: string, logFile?: string): Promise<PostgresInstance> {
  const bin = postgresBinDir();
  const owner = processOwner();
  const pgData = join(dataDir, 'pgdata');
  const socketDir = join(dataDir, 'socket');
  mkdirSync(socketDir, { recursive: true });
  if (owner.uid !== undefined)
    for (const path of [dataDir, socketDir]) chownSync(path, owner.uid, owner.gid!);
  execFileSync(
    join(bin, 'initdb'),
    ['-D', pgData, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    {
      ...owner,
      stdio: 'pipe',
    },
  );
  const port = await freePort();
  const settings = [
    'listen_addresses=127.0.0.1',
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
  ];
  const args = [
    '-D',
    pgData,
    '-p',
    String(port),
    '-k',
    socketDir,
    ...settings.flatMap((setting) => ['-c', setting]),
  ];
  const managed = startProcess('postgres', join(bin, 'postgres'), args, { ...owner, logFile });
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitUntil(`PostgreSQL on port ${port}`, () => query(adminUrl, 'select 1'), {
    process: managed,
    timeoutMs: 30_000,
  });
  await query(adminUrl, `create database ${DATABASE_NAME}`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/${DATABASE_NAME}`,
    process: fastStop(managed),
  };
}

/** The newest installed major version's bin folder, or an error that says how to get one. */
function postgresBinDir(): string {
  const versions = existsSync(INSTALL_ROOT)
    ? readdirSync(INSTALL_ROOT).filter((name) => /^\d+$/.test(name))
    : [];
  const bin = versions
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(INSTALL_ROOT, version, 'bin'))
    .find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')));
  if (!bin) {
    throw new Error(
      `PostgreSQL server binaries not found under ${INSTALL_ROOT}/*/bin: install them (Debian: apt-get install postgresql) to run the PostgreSQL tests.`,
    );
  }
  return bin;
}

/**
 * Node's spawn switches user itself (no `runuser` in between), so signals reach postgres
 * directly and a SIGKILL after the grace period cannot orphan the server.
 */
function processOwner(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function query(url: string, sql: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
    return true;
  } finally {
    await client.end();
  }
}

/** SIGTERM makes postgres wait for every client to leave; SIGINT disconnects them and stops. */
function fastStop(managed: ManagedProcess): ManagedProcess {
  return {
    ...managed,
    async stop(graceMs) {
      if (managed.child.exitCode === null && managed.child.signalCode === null)
        managed.child.kill('SIGINT');
      await managed.stop(graceMs);
    },
  };
}
