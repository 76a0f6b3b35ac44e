import { applyDecorators, BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { WhereFilter } from '@imgsearch/vector-store';
import { Transform } from 'class-transformer';
import { IsInt, IsNumber, IsObject, IsOptional, Max, Min } from 'class-validator';

/** Results a search returns when `topK` is not given. */
export const DEFAULT_TOP_K = 10;

/**
 * `where`: an object in JSON bodies, a JSON string in query strings and multipart fields.
 * Only its JSON is checked here; the query service also checks the filter against Chroma's
 * grammar, and its 400 (`where.gsm: unknown operator "$gtx" ...`) reaches the gateway's callers
 * unchanged.
 */
export function WhereField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: true,
      description:
        'Metadata filter in Chroma\'s grammar: `{"Color": "Red", "gsm": {"$gte": 120}}`; operators ' +
        '$eq $ne $gt $gte $lt $lte $in $nin $and $or. A JSON string in query strings and forms.',
      example: { Color: 'Red', gsm: { $gte: 120 } },
    }),
    // From the request as parsed (`obj`), not from class-transformer's copy of a JSON body's
    // object, which leaves out keys such as `constructor` and would widen the filter.
    Transform(({ obj, key }) => toWhereObject((obj as Record<string, unknown>)[key])),
    IsOptional(),
    IsObject(),
  );
}

/** `topK`: how many results, 1 or more; the query service caps it at SEARCH_MAX_TOP_K. */
export function TopKField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      default: DEFAULT_TOP_K,
      description: "Results wanted; at most the query service's SEARCH_MAX_TOP_K (default 100).",
    }),
    Transform(({ value }) => toOptionalNumber(value)),
    IsOptional(),
    IsInt(),
    Min(1),
  );
}

/** `minScore`: results below this cosine similarity are left out. */
export function MinScoreField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      minimum: -1,
      maximum: 1,
      description: 'Leave out results whose cosine similarity is lower.',
    }),
    Transform(({ value }) => toOptionalNumber(value)),
    IsOptional(),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(-1),
    Max(1),
  );
}

/** Form fields and query parameters arrive as strings; an empty one counts as not given. */
export function toOptionalNumber(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.trim() === '') return value;
  const number = Number(value);
  // Text that is no number stays text, so the validator names the field.
  return Number.isNaN(number) ? value : number;
}

/**
 * @returns the filter object, or undefined when absent or empty (`''`, `{}`)
 * @throws BadRequestException "where is not valid JSON" (a string that does not parse) or
 *   "where must be a JSON object" (JSON, or a body value, that is no object)
 */
export function toWhereObject(value: unknown): WhereFilter | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const object = typeof value === 'string' ? parseJson(value) : value;
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new BadRequestException('where must be a JSON object');
  }
  return Object.keys(object).length === 0 ? undefined : (object as WhereFilter);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestException('where is not valid JSON');
  }
}
