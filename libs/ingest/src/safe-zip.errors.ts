/** Why a whole archive was refused. */
export type ZipArchiveProblem = 'unreadable' | 'too-many-entries' | 'too-large';

/** An archive that cannot be used at all (not a ZIP, a broken central directory, over a limit). */
export class ZipArchiveError extends Error {
  constructor(
    readonly problem: ZipArchiveProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ZipArchiveError';
  }
}

/** Why one entry cannot be read; the rest of the archive stays usable. */
export type ZipEntryProblem = 'not-found' | 'refused' | 'too-large' | 'corrupt';

/** One entry that cannot be read: a permanent problem of that row, not worth a retry. */
export class ZipEntryError extends Error {
  constructor(
    readonly entry: string,
    readonly problem: ZipEntryProblem,
    message: string,
  ) {
    super(message);
    this.name = 'ZipEntryError';
  }
}
