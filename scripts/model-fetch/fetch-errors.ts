/**
 * Faults the fetch can end with. Each message is written for the person at the terminal: it
 * names the endpoint, model or file involved and says what to do next. `exitCode` lets the CLI
 * tell "no network here" (2) apart from everything else (1) so wrappers can fall back to a
 * copied model folder.
 */
export class ModelFetchError extends Error {
  readonly exitCode: number = 1;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** No HTTP response at all: DNS failure, refused connection, timeout before the headers. */
export class HubUnreachableError extends ModelFetchError {
  override readonly exitCode = 2;

  constructor(
    readonly endpoint: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `cannot reach ${endpoint}: ${reason}. This machine may have no internet; ` +
        'copy a model folder into models/ instead (see scripts/model-fetch/README.md).',
      options,
    );
  }
}

/** The model, revision or file is absent, or hidden behind authentication (the hub answers 401 for both). */
export class HubNotFoundError extends ModelFetchError {}

/** A download stopped part-way; what arrived is kept in `<file>.partial` for the next attempt. */
export class DownloadInterruptedError extends ModelFetchError {
  constructor(
    readonly file: string,
    readonly bytesSoFar: number,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `download of ${file} interrupted after ${bytesSoFar} bytes (${reason}); rerun the same command to resume.`,
      options,
    );
  }
}

/** The bytes on disk are not the bytes the hub says it holds; the bad copy has already been deleted. */
export class ChecksumMismatchError extends ModelFetchError {
  constructor(
    readonly file: string,
    readonly algorithm: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `${file} failed its ${algorithm} check: expected ${expected}, got ${actual}. The download was deleted; rerun to fetch it again.`,
    );
  }
}

/** Any other HTTP answer we cannot act on (5xx, unexpected redirects, malformed metadata). */
export class HubResponseError extends ModelFetchError {}
