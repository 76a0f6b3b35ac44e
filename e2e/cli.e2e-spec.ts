import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ADMIN, E2eStack, repoRoot, startE2eStack } from './harness/services';
import { samples } from './harness/samples';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the imgsearch CLI', () => {
  let stack: E2eStack;
  let configDir: string;

  /** Runs `imgsearch` as a script would, with its own saved credentials. */
  async function imgsearch(...args: string[]): Promise<CliResult> {
    const env = {
      ...process.env,
      IMGSEARCH_URL: stack.gatewayUrl,
      IMGSEARCH_CONFIG_DIR: configDir,
    };
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [join(repoRoot, 'bin/imgsearch.js'), ...args],
        { env },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  async function json(...args: string[]) {
    const result = await imgsearch(...args, '--json');
    if (result.code !== 0) throw new Error(`imgsearch ${args.join(' ')} failed: ${result.stderr}`);
    return JSON.parse(result.stdout);
  }

  beforeAll(async () => {
    stack = await startE2eStack();
    configDir = mkdtempSync(join(stack.dataDir, 'cli-'));
  });
  afterAll(() => stack?.stop());

  it('refuses a wrong password with the server message and exit code 1', async () => {
    const result = await imgsearch(
      'login',
      '--username',
      ADMIN.username,
      '--password',
      'wrong-password',
    );

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid username or password');
  });

  it('logs in, ingests a catalogue and waits for it', async () => {
    await json('login', '--username', ADMIN.username, '--password', ADMIN.password);

    const job = await json(
      'ingest',
      '--csv',
      join(samples, 'catalog/photos.csv'),
      '--archive',
      join(samples, 'catalog/photos.zip'),
      '--wait',
    );

    expect(job.state).toBe('completed');
    expect(job.progress.embedded).toBe(19);
    const jobs = await json('jobs');
    expect(jobs.jobs.map((listed: { jobId: string }) => listed.jobId)).toContain(job.jobId);
  });

  it('searches by image, by text and for similar items', async () => {
    const byImage = await json(
      'search',
      '--image',
      join(samples, 'photos/chelsea.png'),
      '--top-k',
      '3',
    );
    const byText = await json('search', 'a cat', '--top-k', '4');
    const similar = await json('similar', 'cat', '--top-k', '5');

    expect(byImage.results[0].id).toBe('cat');
    expect(byText.results).toHaveLength(4);
    expect(similar.results.map((result: { id: string }) => result.id)).not.toContain('cat');
  });

  it('prints a table for people', async () => {
    const result = await imgsearch(
      'search',
      '--image',
      join(samples, 'photos/coffee.png'),
      '--top-k',
      '2',
    );

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/#\s+score\s+id\s+metadata/);
    expect(result.stdout).toMatch(/1\s+\d\.\d{4}\s+coffee/);
  });

  it('gets, sets and deletes items', async () => {
    await json('items', 'set', 'coins', '--metadata', '{"mint":"royal"}');
    const got = await json('items', 'get', 'coins', 'nope');
    await json('items', 'delete', 'coins');
    const gone = await json('items', 'get', 'coins');

    expect(got.items[0].metadata.mint).toBe('royal');
    expect(got.missing).toEqual(['nope']);
    expect(gone.missing).toEqual(['coins']);
  });

  it('exits non-zero with the server message for a malformed filter', async () => {
    const result = await imgsearch('search', 'cat', '--where', '{"gsm":{"$gtx":1}}');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('$gtx');
  });

  it('prints its usage for --help', async () => {
    const result = await imgsearch('search', '--help');

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('imgsearch <command> [options]');
  });

  it('forgets the token on logout, so the next call is refused', async () => {
    await json('logout');
    const result = await imgsearch('jobs');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401');
  });
});
