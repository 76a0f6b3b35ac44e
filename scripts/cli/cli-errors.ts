/** A failure the CLI reports as one line and a non-zero exit code; never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(`${message}\nRun "imgsearch help" for usage.`, 2);
  }
}

/** Turns a non-2xx answer into the server's own message. */
export function fromResponse(action: string, status: number, body: unknown): CliError {
  const message = (body as { message?: string | string[] } | undefined)?.message;
  const text = Array.isArray(message) ? message.join('; ') : (message ?? JSON.stringify(body));
  return new CliError(`${action} failed (${status}): ${text}`);
}
