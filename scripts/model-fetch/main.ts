import { CliEnvironment, parseCliArgs, USAGE } from './cli-args';
import { ModelFetchError } from './fetch-errors';
import { fetchModel } from './fetch-model';

/**
 * `npm run model:fetch -- --model <hub id> ...`: progress and errors go to stderr, the folder
 * written goes to stdout. Exit 0 done, 1 failed, 2 hub unreachable (no internet here).
 */
export async function main(
  argv: string[],
  env: CliEnvironment,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const say = (line: string): void => {
    stderr.write(`${line}\n`);
  };
  try {
    const command = parseCliArgs(argv, env);
    if (command.kind === 'help') {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    const { options } = command;
    say(
      `fetching ${options.model} (${options.variant}, ${options.revision}) from ${options.endpoint} into ${options.outDir}`,
    );
    const result = await fetchModel({ ...options, log: say });
    const downloaded = result.files.filter((file) => file.status === 'downloaded').length;
    say(
      `done: ${downloaded} downloaded, ${result.files.length - downloaded} already complete or absent`,
    );
    stdout.write(`${result.outDir}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ModelFetchError)) throw error;
    say(`model:fetch: ${error.message}`);
    return error.exitCode;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, process.stdout, process.stderr).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `model:fetch: unexpected failure\n${error instanceof Error ? error.stack : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
