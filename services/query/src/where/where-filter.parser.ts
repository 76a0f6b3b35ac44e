import type { WhereFilter } from '@imgsearch/vector-store';

/** A `where` filter that does not follow Chroma's grammar; the message names the place. */
export class WhereFilterError extends Error {
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'WhereFilterError';
  }
}

type Literal = string | number | boolean;

const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte']);
const NUMERIC_ONLY = new Set(['$gt', '$gte', '$lt', '$lte']);
const LIST_OPERATORS = new Set(['$in', '$nin']);
const LOGICAL = new Set(['$and', '$or']);
const FIELD_OPERATORS = [...COMPARISONS, ...LIST_OPERATORS].join(', ');
/** Nested `$and` / `$or` levels; deeper filters are refused before they reach Chroma. */
export const WHERE_MAX_DEPTH = 8;
/** Values in one `$in` / `$nin` list. */
export const WHERE_MAX_LIST = 1000;

/**
 * Checks a metadata filter against Chroma's grammar and returns it in the form Chroma takes:
 *
 *     where     := { field: literal | {op: literal} | {$in|$nin: [literal, ...]}, ... }
 *                | { $and|$or: [where, where, ...] }
 *     op        := $eq | $ne | $gt | $gte | $lt | $lte      ($gt ... $lte take numbers only)
 *     literal   := string | number | boolean
 *
 * Chroma wants exactly one key per object and one operator per field, so several fields
 * (`{"Color": "Red", "gsm": {"$gte": 120}}`) or several operators on one field
 * (`{"gsm": {"$gte": 100, "$lt": 200}}`) become an `$and` of single conditions.
 * Hand-written rather than a zod schema: a recursive union in zod reports "Invalid input",
 * while users need to hear which key is wrong and why.
 *
 * @returns undefined for `{}`, which filters nothing
 * @throws WhereFilterError naming the path of the first problem, e.g. `where.gsm: unknown operator "$gtx" ...`
 */
export function parseWhereFilter(where: Record<string, unknown>): WhereFilter | undefined {
  if (Object.keys(where).length === 0) return undefined;
  return parseFilter(where, 'where', 0);
}

function parseFilter(value: unknown, path: string, depth: number): WhereFilter {
  if (!isPlainObject(value))
    throw new WhereFilterError(path, `must be an object, got ${show(value)}`);
  const entries = Object.entries(value);
  if (entries.length === 0)
    throw new WhereFilterError(path, 'is empty; give at least one condition');
  const conditions = entries.flatMap(([key, operand]) => parseEntry(key, operand, path, depth));
  return conditions.length === 1 ? conditions[0] : { $and: conditions };
}

function parseEntry(key: string, operand: unknown, path: string, depth: number): WhereFilter[] {
  if (LOGICAL.has(key)) return [{ [key]: parseLogical(operand, `${path}.${key}`, depth + 1) }];
  if (key.startsWith('$')) {
    throw new WhereFilterError(
      path,
      `unknown operator "${key}" (expected a field name, $and or $or)`,
    );
  }
  if (key === '') throw new WhereFilterError(path, 'has an empty field name');
  return parseField(operand, `${path}.${key}`).map((condition) => ({ [key]: condition }));
}

function parseLogical(operand: unknown, path: string, depth: number): WhereFilter[] {
  if (depth > WHERE_MAX_DEPTH) {
    throw new WhereFilterError(
      path,
      `is nested too deeply (at most ${WHERE_MAX_DEPTH} levels of $and / $or)`,
    );
  }
  if (!Array.isArray(operand) || operand.length < 2) {
    throw new WhereFilterError(path, `must be a list of at least 2 filters, got ${show(operand)}`);
  }
  return operand.map((filter, index) => parseFilter(filter, `${path}[${index}]`, depth));
}

/** One field's conditions: a literal means `$eq`; an object holds one or more operators. */
function parseField(operand: unknown, path: string): (Literal | Record<string, unknown>)[] {
  if (isLiteral(operand)) return [operand];
  if (!isPlainObject(operand)) {
    throw new WhereFilterError(
      path,
      `must be a string, number, boolean or an operator object such as {"$in": [...]}, got ${show(operand)}`,
    );
  }
  const operators = Object.entries(operand);
  if (operators.length === 0) throw new WhereFilterError(path, 'needs an operator such as "$eq"');
  return operators.map(([operator, value]) => ({
    [operator]: parseOperand(operator, value, path),
  }));
}

function parseOperand(operator: string, value: unknown, path: string): unknown {
  const at = `${path}.${operator}`;
  if (COMPARISONS.has(operator)) {
    if (NUMERIC_ONLY.has(operator) && !isFiniteNumber(value)) {
      throw new WhereFilterError(at, `must be a number, got ${show(value)}`);
    }
    if (!isLiteral(value)) {
      throw new WhereFilterError(at, `must be a string, number or boolean, got ${show(value)}`);
    }
    return value;
  }
  if (LIST_OPERATORS.has(operator)) return parseList(value, at);
  throw new WhereFilterError(
    path,
    `unknown operator "${operator}" (expected one of ${FIELD_OPERATORS})`,
  );
}

function parseList(value: unknown, path: string): Literal[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new WhereFilterError(path, `must be a non-empty list, got ${show(value)}`);
  }
  if (value.length > WHERE_MAX_LIST) {
    throw new WhereFilterError(path, `holds ${value.length} values; at most ${WHERE_MAX_LIST}`);
  }
  const type = typeof value[0];
  if (!value.every((item) => isLiteral(item) && typeof item === type)) {
    throw new WhereFilterError(path, 'must hold strings, numbers or booleans, all of one type');
  }
  return value as Literal[];
}

function isLiteral(value: unknown): value is Literal {
  return typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a refused value for messages. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
