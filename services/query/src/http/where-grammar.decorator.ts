import { BadRequestException } from '@nestjs/common';
import type { WhereFilter } from '@imgsearch/vector-store';
import { Transform } from 'class-transformer';
import { parseWhereFilter, WhereFilterError } from '../where/where-filter.parser';

/**
 * Checks a `where` against Chroma's grammar, here at the edge, so the 400 says what is wrong as
 * one sentence (`where.gsm: unknown operator "$gtx" ...`). Goes on a subclass's redeclared
 * `where`: class-transformer runs the shared WhereField's transform (JSON string to object,
 * "where must be a JSON object") first, then this one on its result.
 */
export function WhereGrammar(): PropertyDecorator {
  return Transform(({ value }) => toWhereFilter(value as WhereFilter | undefined));
}

/**
 * The filter as Chroma takes it, or undefined for none.
 * @throws BadRequestException with the grammar problem
 */
export function toWhereFilter(where: WhereFilter | undefined): WhereFilter | undefined {
  if (where === undefined) return undefined;
  try {
    return parseWhereFilter(where as Record<string, unknown>);
  } catch (error) {
    if (error instanceof WhereFilterError) throw new BadRequestException(error.message);
    throw error;
  }
}
