import { UnsupportedMediaTypeException } from '@nestjs/common';
import type { ContentCheck } from './upload-part.storage';

/**
 * A CSV is text: a NUL byte anywhere means a binary file (a spreadsheet, a ZIP) or UTF-16
 * text, which the reader would turn into nonsense columns. Checked over the whole file,
 * which costs one `indexOf` per chunk.
 */
export function textCheck(field: string): ContentCheck {
  return {
    inspect(chunk) {
      if (chunk.indexOf(0) === -1) return undefined;
      return new UnsupportedMediaTypeException(
        `${field} is not a text file: it holds NUL bytes, as binary files and UTF-16 text do; save the catalogue as a UTF-8 CSV`,
      );
    },
    end: () => undefined,
  };
}

/** Local file header, empty archive, and spanned-archive marker: how every ZIP begins. */
const ZIP_SIGNATURES = ['504b0304', '504b0506', '504b0708'];

/**
 * A ZIP starts with a ZIP signature; judging by the first four bytes refuses a wrong file
 * before gigabytes of it are stored. Self-extracting archives, which start with a program,
 * are refused too: nobody uploads those on purpose.
 */
export function zipCheck(field: string): ContentCheck {
  let head = Buffer.alloc(0);
  let judged = false;
  const notZip = (why: string) =>
    new UnsupportedMediaTypeException(`${field} is not a readable ZIP file: ${why}`);
  return {
    inspect(chunk) {
      if (judged) return undefined;
      head = Buffer.concat([head, chunk.subarray(0, 4 - head.length)]);
      if (head.length < 4) return undefined;
      judged = true;
      if (ZIP_SIGNATURES.includes(head.toString('hex'))) return undefined;
      return notZip('it does not start with a ZIP signature');
    },
    end(size) {
      if (size === 0) return notZip('it is empty');
      return judged ? undefined : notZip(`it is only ${size} bytes long`);
    },
  };
}
