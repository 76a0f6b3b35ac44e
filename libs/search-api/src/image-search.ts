import { PayloadTooLargeException } from '@nestjs/common';

/** OpenAPI body of `POST .../search/image`: the picture and the search options as form fields. */
export const IMAGE_SEARCH_FORM = {
  type: 'object',
  required: ['image'],
  properties: {
    image: { type: 'string', format: 'binary' },
    topK: { type: 'integer', minimum: 1, default: 10 },
    where: { type: 'string', description: 'The metadata filter as a JSON object.' },
    minScore: { type: 'number', minimum: -1, maximum: 1 },
  },
};

/**
 * multer's "File too large" does not say what the limit is: this 413 does. Any other error is
 * returned unchanged.
 */
export function withImageLimit(error: unknown, maxBytes: number): unknown {
  return error instanceof PayloadTooLargeException
    ? new PayloadTooLargeException(`image is larger than the limit of ${maxBytes} bytes`)
    : error;
}
