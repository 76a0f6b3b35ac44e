/** `imgsearch`: the API from the command line, for people (tables) and scripts (--json). */
import { parseArgs } from 'node:util';
import { GatewayClient } from '@imgsearch/client';
import { CliError, UsageError } from './cli-errors';
import { commands } from './commands';
import { CredentialsStore } from './credentials.store';

const USAGE = `imgsearch <command> [options]

  login --username U [--password P]      sign in (or IMGSEARCH_PASSWORD); the token is saved
  logout                                 revoke the saved token
  ingest --csv F --archive Z [--mapping M] [--wait]
                                         upload a catalogue; M is JSON or a JSON file
  jobs [show ID | cancel ID]             list ingest jobs, show or cancel one
  search "text" | --image F [--top-k N] [--where JSON] [--min-score X]
  similar ID [--top-k N] [--where JSON]
  items get ID... | set ID --metadata JSON | delete ID...
  help, --help, -h                       this text

Global: --url URL (or IMGSEARCH_URL; default the saved one, else http://127.0.0.1:4000),
        --token T (or IMGSEARCH_TOKEN), --json (machine-readable output)
The token from login is saved in ~/.config/imgsearch/credentials.json (or IMGSEARCH_CONFIG_DIR).`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArguments(argv);
  const [name, ...rest] = positionals;
  if (!name || name === 'help' || values.help) {
    console.log(USAGE);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  const store = new CredentialsStore(process.env.IMGSEARCH_CONFIG_DIR);
  const saved = store.load();
  const url = values.url ?? process.env.IMGSEARCH_URL ?? saved?.url ?? 'http://127.0.0.1:4000';
  const token =
    values.token ?? process.env.IMGSEARCH_TOKEN ?? (saved?.url === url ? saved.token : undefined);
  const api = new GatewayClient(url.replace(/\/$/, ''), token);
  await command({
    api,
    store,
    output: { json: values.json ?? false },
    positionals: rest,
    options: values,
  });
  return 0;
}

function parseArguments(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean', default: false },
        username: { type: 'string' },
        password: { type: 'string' },
        csv: { type: 'string' },
        archive: { type: 'string' },
        mapping: { type: 'string' },
        wait: { type: 'boolean', default: false },
        image: { type: 'string' },
        'top-k': { type: 'string' },
        where: { type: 'string' },
        'min-score': { type: 'string' },
        metadata: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // Unknown or malformed options are the user's to fix, not a crash.
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Prints a failure as one line (the server's message for API errors) and exits non-zero. */
export function reportAndExit(error: unknown): never {
  if (error instanceof CliError) {
    console.error(`imgsearch: ${error.message}`);
    process.exit(error.exitCode);
  }
  // fetch hides network failures (refused, unknown host) in `cause`.
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = cause ? `cannot reach the server: ${cause.code ?? cause.message}` : String(error);
  console.error(`imgsearch: ${message}`);
  process.exit(1);
}

if (require.main === module) {
  run(process.argv.slice(2)).then((code) => process.exit(code), reportAndExit);
}
