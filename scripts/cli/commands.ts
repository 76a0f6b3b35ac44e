import { existsSync, readFileSync } from 'node:fs';
import { ApiResponse, GatewayClient, IngestStatus, Json, waitForJob } from '@imgsearch/client';
import { SingleBar } from 'cli-progress';
import { CliError, fromResponse, UsageError } from './cli-errors';
import { CredentialsStore } from './credentials.store';
import { emit, Output, printSearch } from './output';

export interface CommandContext {
  api: GatewayClient;
  store: CredentialsStore;
  output: Output;
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
}

type Command = (context: CommandContext) => Promise<void>;

export const commands: Record<string, Command> = {
  async login({ api, store, output, options }) {
    const username = text(options.username, 'login needs --username');
    const password = text(
      options.password ?? process.env.IMGSEARCH_PASSWORD,
      'login needs --password or IMGSEARCH_PASSWORD',
    );
    const response = await api.post('/api/auth/login', { username, password });
    if (response.status !== 200) throw fromResponse('login', response.status, response.body);
    store.save({ url: api.baseUrl, token: response.body.accessToken, username });
    emit(output, { username, url: api.baseUrl }, () =>
      console.log(`Logged in to ${api.baseUrl} as ${username}.`),
    );
  },

  async logout({ api, store, output }) {
    await expectOk('logout', api.post('/api/auth/logout'));
    store.forgetToken();
    emit(output, { loggedOut: true }, () => console.log('Logged out; the token is revoked.'));
  },

  async ingest({ api, output, options }) {
    const files = {
      csv: existing(options.csv, '--csv'),
      archive: existing(options.archive, '--archive'),
    };
    const fields: Record<string, string> = options.mapping
      ? { mapping: readMapping(String(options.mapping)) }
      : {};
    const upload = await api.upload('/api/ingest', files, fields);
    if (upload.status !== 202) throw fromResponse('ingest', upload.status, upload.body);
    if (!options.wait) {
      emit(output, upload.body, () => console.log(`Queued job ${upload.body.jobId}.`));
      return;
    }
    const status = await waitWithProgress(api, upload.body.jobId, output);
    emit(output, status, () => printJob(status));
    if (status.state !== 'completed')
      throw new CliError(
        `job ${status.jobId} ended ${status.state}${status.reason ? `: ${status.reason}` : ''}`,
      );
  },

  async jobs({ api, output, positionals }) {
    const [action, jobId] = positionals;
    if (action === 'show' || action === 'cancel') {
      const id = text(jobId, `jobs ${action} needs a job id`);
      const response =
        action === 'show'
          ? await api.get(`/api/ingest/${enc(id)}`)
          : await api.delete(`/api/ingest/${enc(id)}`);
      if (response.status >= 300)
        throw fromResponse(`jobs ${action}`, response.status, response.body);
      emit(output, response.body, () => printJob(response.body));
      return;
    }
    if (action) throw new UsageError(`unknown jobs action "${action}" (use show or cancel)`);
    const body = await expectOk('jobs', api.get('/api/ingest'));
    emit(output, body, () => {
      for (const job of body.jobs as IngestStatus[]) {
        const { total, embedded, failed } = job.progress;
        console.log(
          `${job.jobId}  ${job.state.padEnd(9)}  ${embedded}/${total} embedded, ${failed} failed`,
        );
      }
    });
  },

  async search({ api, output, positionals, options }) {
    const filters = searchFilters(options);
    if (options.image) {
      const fields = Object.fromEntries(
        Object.entries(filters).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : JSON.stringify(value),
        ]),
      );
      const body = await expectOk(
        'search',
        api.upload('/api/search/image', { image: existing(options.image, '--image') }, fields),
      );
      printSearch(output, `Image query ${options.image}`, body);
      return;
    }
    const query = text(positionals.join(' '), 'search needs a text or --image FILE');
    const body = await expectOk('search', api.post('/api/search/text', { query, ...filters }));
    printSearch(output, `Text query "${query}"`, body);
  },

  async similar({ api, output, positionals, options }) {
    const id = text(positionals[0], 'similar needs an item id');
    const params = new URLSearchParams();
    const filters = searchFilters(options);
    for (const [key, value] of Object.entries(filters))
      params.set(key, typeof value === 'string' ? value : JSON.stringify(value));
    const body = await expectOk('similar', api.get(`/api/items/${enc(id)}/similar?${params}`));
    printSearch(output, `Similar to ${id}`, body);
  },

  async items({ api, output, positionals, options }) {
    const [action, ...ids] = positionals;
    if (ids.length === 0) throw new UsageError(`items ${action ?? ''} needs at least one id`);
    if (action === 'get') {
      const body = await expectOk('items get', api.get(`/api/items?ids=${ids.map(enc).join(',')}`));
      emit(output, body, () => {
        for (const item of body.items) console.log(`${item.id}  ${JSON.stringify(item.metadata)}`);
        if (body.missing?.length) console.log(`missing: ${body.missing.join(', ')}`);
      });
    } else if (action === 'set') {
      const metadata = parseJson(
        text(options.metadata, 'items set needs --metadata JSON'),
        '--metadata',
      );
      const body = await expectOk(
        'items set',
        api.patch(`/api/items/${enc(ids[0])}`, { metadata }),
      );
      emit(output, body, () => console.log(`${body.id}  ${JSON.stringify(body.metadata)}`));
    } else if (action === 'delete') {
      const body = await expectOk('items delete', api.post('/api/items/delete', { ids }));
      emit(output, body, () => {
        console.log(`deleted: ${body.deleted.join(', ') || '(none)'}`);
        if (body.missing?.length) console.log(`missing: ${body.missing.join(', ')}`);
      });
    } else {
      throw new UsageError(`unknown items action "${action}" (use get, set or delete)`);
    }
  },
};

async function expectOk(action: string, pending: Promise<ApiResponse>): Promise<Json> {
  const response = await pending;
  if (response.status >= 300) throw fromResponse(action, response.status, response.body);
  return response.body;
}

async function waitWithProgress(
  api: GatewayClient,
  jobId: string,
  output: Output,
): Promise<IngestStatus> {
  const bar =
    output.json || !process.stderr.isTTY
      ? undefined
      : new SingleBar({ format: '{bar} {value}/{total} rows | {state}', stream: process.stderr });
  try {
    return await waitForJob(api, jobId, 24 * 3600_000, (status) => {
      const { total, embedded, failed, skipped } = status.progress;
      if (!bar) return;
      if (!bar.isActive) bar.start(total, 0, { state: status.state });
      bar.update(embedded + failed + skipped, { state: status.state });
    });
  } finally {
    bar?.stop();
  }
}

function printJob(status: IngestStatus): void {
  const { total, embedded, skipped, failed } = status.progress;
  console.log(`job ${status.jobId}: ${status.state}${status.reason ? ` (${status.reason})` : ''}`);
  console.log(`  ${total} rows: ${embedded} embedded, ${failed} failed, ${skipped} skipped`);
  for (const error of status.errors ?? [])
    console.log(`  row ${error.row}${error.id ? ` (${error.id})` : ''}: ${error.reason}`);
}

function searchFilters(options: CommandContext['options']): Record<string, unknown> {
  const filters: Record<string, unknown> = {};
  if (options['top-k'] !== undefined) filters.topK = positiveInteger(options['top-k'], '--top-k');
  if (options['min-score'] !== undefined) filters.minScore = Number(options['min-score']);
  if (options.where !== undefined) filters.where = parseJson(String(options.where), '--where');
  return filters;
}

/** `--mapping` takes inline JSON or the path of a JSON file. */
function readMapping(value: string): string {
  const inline = value.trim().startsWith('{');
  if (!inline && !existsSync(value)) throw new UsageError(`--mapping: no such file ${value}`);
  const json = inline ? value : readFileSync(value, 'utf8');
  parseJson(json, '--mapping');
  return json;
}

function parseJson(value: string, flag: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new UsageError(`${flag} is not valid JSON`);
  }
}

function positiveInteger(value: unknown, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new UsageError(`${flag} must be a positive integer`);
  return number;
}

function existing(value: unknown, flag: string): string {
  const path = text(value, `${flag} FILE is required`);
  if (!existsSync(path)) throw new UsageError(`${flag}: no such file ${path}`);
  return path;
}

function text(value: unknown, message: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(message);
  return value;
}

const enc = encodeURIComponent;
