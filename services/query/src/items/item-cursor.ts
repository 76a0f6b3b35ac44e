/** A cursor that cannot be read back; only cursors this service handed out are. */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is invalid; pass the nextCursor of the previous page');
    this.name = 'InvalidCursorError';
  }
}

/**
 * Page cursors: opaque to clients, but only the base64url of the offset into Chroma's stable
 * listing order. Items deleted from earlier pages while paging shift the rest forward, so a
 * page may then skip as many items as were deleted; Chroma offers no keyset paging to avoid it.
 */
export const itemCursor = {
  encode(offset: number): string {
    return Buffer.from(JSON.stringify({ offset })).toString('base64url');
  },

  /** @throws InvalidCursorError */
  decode(cursor: string | undefined): number {
    if (cursor === undefined) return 0;
    try {
      const { offset } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
        offset?: unknown;
      };
      if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
    } catch {
      // falls through to the error below
    }
    throw new InvalidCursorError();
  },
};
