/** Thrown when a query text holds nothing to embed (empty, or only whitespace). */
export class EmptyTextError extends Error {
  constructor() {
    super('query text is empty: it has no characters left after whitespace is removed');
    this.name = 'EmptyTextError';
  }
}

/**
 * Thrown when bytes cannot be turned into a picture (corrupt file, not an image, unsupported
 * format). A permanent fault of that one input: retrying it cannot help.
 */
export class ImageDecodeError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`cannot decode image: ${reason}`, options);
    this.name = 'ImageDecodeError';
  }
}

/**
 * Thrown before decoding when a picture declares more pixels than allowed, which is how a
 * decompression bomb (a few kilobytes that expand to gigabytes) is refused. It is an
 * {@link ImageDecodeError}, so callers that skip undecodable images skip these too.
 */
export class ImageTooLargeError extends ImageDecodeError {
  constructor(
    readonly maxPixels: number,
    options?: { cause?: unknown },
  ) {
    super(`image is larger than the limit of ${maxPixels} pixels (width x height)`, options);
    this.name = 'ImageTooLargeError';
  }
}

/** Thrown when a model folder is missing a file or holds a setting this library cannot honour. */
export class ClipModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClipModelError';
  }
}
