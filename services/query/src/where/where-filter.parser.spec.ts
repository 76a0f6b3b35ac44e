import { parseWhereFilter, WHERE_MAX_DEPTH, WhereFilterError } from './where-filter.parser';

/** The message parseWhereFilter refuses a filter with. */
function refusal(where: Record<string, unknown>): string {
  try {
    parseWhereFilter(where);
  } catch (error) {
    if (error instanceof WhereFilterError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(where)}`);
}

function nested(levels: number): Record<string, unknown> {
  let filter: Record<string, unknown> = { a: 1 };
  for (let level = 0; level < levels; level++) filter = { $or: [filter, { b: level }] };
  return filter;
}

describe(parseWhereFilter.name, () => {
  describe('accepts', () => {
    it.each([
      ['a literal', { Color: 'Red' }],
      ['a number and a boolean', { $and: [{ gsm: 120 }, { inStock: true }] }],
      ['a comparison', { gsm: { $gte: 120 } }],
      ['$eq and $ne on strings', { $or: [{ Color: { $eq: 'Red' } }, { Color: { $ne: 'Blue' } }] }],
      ['a list', { Color: { $in: ['Red', 'Blue'] } }],
      ['a list of numbers', { gsm: { $nin: [100, 200] } }],
      ['nested $and / $or', { $or: [{ $and: [{ a: 1 }, { b: 2 }] }, { c: { $lt: 3 } }] }],
      ['a field name with spaces and dots', { 'Serial No.': 'A-1' }],
    ])('%s unchanged', (_, where) => {
      expect(parseWhereFilter(where)).toEqual(where);
    });

    it('reads several fields as $and, as Chroma takes one key per object', () => {
      expect(parseWhereFilter({ Color: 'Red', gsm: { $gte: 120 } })).toEqual({
        $and: [{ Color: 'Red' }, { gsm: { $gte: 120 } }],
      });
    });

    it('reads several operators on one field as $and, as Chroma takes one per field', () => {
      expect(parseWhereFilter({ gsm: { $gte: 100, $lt: 200 } })).toEqual({
        $and: [{ gsm: { $gte: 100 } }, { gsm: { $lt: 200 } }],
      });
    });

    it('treats {} as no filter', () => {
      expect(parseWhereFilter({})).toBeUndefined();
    });

    it(`allows ${WHERE_MAX_DEPTH} levels of $and / $or`, () => {
      expect(parseWhereFilter(nested(WHERE_MAX_DEPTH))).toEqual(nested(WHERE_MAX_DEPTH));
    });
  });

  describe('refuses, saying where and why', () => {
    it.each([
      [
        'an unknown field operator',
        { gsm: { $gtx: 1 } },
        'where.gsm: unknown operator "$gtx" (expected one of $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin)',
      ],
      [
        'an unknown top-level operator',
        { $not: { a: 1 } },
        'where: unknown operator "$not" (expected a field name, $and or $or)',
      ],
      [
        'a string where a number is needed',
        { gsm: { $gt: '120' } },
        'where.gsm.$gt: must be a number, got "120"',
      ],
      [
        'a boolean where a number is needed',
        { gsm: { $lte: true } },
        'where.gsm.$lte: must be a number, got true',
      ],
      [
        'an object as a comparison value',
        { Color: { $eq: { a: 1 } } },
        'where.Color.$eq: must be a string, number or boolean, got {"a":1}',
      ],
      [
        'null as a field value',
        { Color: null },
        'where.Color: must be a string, number, boolean or an operator object such as {"$in": [...]}, got null',
      ],
      [
        'a list as a field value',
        { Color: ['Red'] },
        'where.Color: must be a string, number, boolean or an operator object such as {"$in": [...]}, got ["Red"]',
      ],
      ['an empty operator object', { gsm: {} }, 'where.gsm: needs an operator such as "$eq"'],
      ['an empty $in', { Color: { $in: [] } }, 'where.Color.$in: must be a non-empty list, got []'],
      [
        'a string as $nin',
        { Color: { $nin: 'Red' } },
        'where.Color.$nin: must be a non-empty list, got "Red"',
      ],
      [
        'a list of mixed types',
        { gsm: { $in: [100, '200'] } },
        'where.gsm.$in: must hold strings, numbers or booleans, all of one type',
      ],
      [
        'an $and of one filter',
        { $and: [{ a: 1 }] },
        'where.$and: must be a list of at least 2 filters, got [{"a":1}]',
      ],
      [
        'an $or that is not a list',
        { $or: { a: 1 } },
        'where.$or: must be a list of at least 2 filters, got {"a":1}',
      ],
      [
        'a bad filter inside $or, by its index',
        { $or: [{ a: 1 }, { b: { $gt: 'x' } }] },
        'where.$or[1].b.$gt: must be a number, got "x"',
      ],
      [
        'an empty filter inside $and',
        { $and: [{ a: 1 }, {}] },
        'where.$and[1]: is empty; give at least one condition',
      ],
      [
        'a non-object inside $and',
        { $and: [{ a: 1 }, 'b'] },
        'where.$and[1]: must be an object, got "b"',
      ],
      ['an empty field name', { '': 1 }, 'where: has an empty field name'],
    ])('%s', (_, where, message) => {
      expect(refusal(where)).toBe(message);
    });

    it(`nesting deeper than ${WHERE_MAX_DEPTH} levels`, () => {
      expect(refusal(nested(WHERE_MAX_DEPTH + 1))).toBe(
        `where${'.$or[0]'.repeat(WHERE_MAX_DEPTH)}.$or: is nested too deeply (at most 8 levels of $and / $or)`,
      );
    });

    it('a list longer than 1000 values', () => {
      const values = Array.from({ length: 1001 }, (_, index) => index);
      expect(refusal({ gsm: { $in: values } })).toBe(
        'where.gsm.$in: holds 1001 values; at most 1000',
      );
    });
  });
});
