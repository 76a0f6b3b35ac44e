import { ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import { ItemsQueryDto } from './items-query.dto';
import { SearchOptionsDto } from './search-options.dto';
import { SearchTextDto } from './search-text.dto';
import { toUpdateItemDto, UpdateItemDto } from './update-item.dto';

/** The pipe as both services configure it. */
const pipe = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true });

/** Runs a JSON body (as text, so that `1e400` and `__proto__` arrive as express parses them). */
function validate<T>(
  type: new () => T,
  json: string,
  where: 'body' | 'query' = 'body',
): Promise<T> {
  const metadata: ArgumentMetadata = { type: where, metatype: type };
  return pipe.transform(JSON.parse(json), metadata) as Promise<T>;
}

async function messageOf(result: Promise<unknown>): Promise<unknown> {
  const error = await result.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BadRequestException);
  return ((error as BadRequestException).getResponse() as { message: unknown }).message;
}

describe('the shared DTOs', () => {
  describe(toUpdateItemDto.name, () => {
    const patchOf = (json: string) => toUpdateItemDto(JSON.parse(json));
    const refusalOf = (json: string) => messageOf(Promise.resolve().then(() => patchOf(json)));

    it('keeps keys the ValidationPipe and class-transformer would drop from a body', async () => {
      const dto = patchOf(
        '{"metadata":{"constructor":"y","prototype":"p","toString":"z","valueOf":2,"colour":"red"}}',
      );
      expect(dto).toBeInstanceOf(UpdateItemDto);
      expect({ ...dto.metadata }).toEqual({
        constructor: 'y',
        prototype: 'p',
        toString: 'z',
        valueOf: 2,
        colour: 'red',
      });
    });

    it('refuses a number that is not finite, and __proto__, with 400', async () => {
      await expect(refusalOf('{"metadata":{"big":1e400}}')).resolves.toBe(
        'metadata.big must be a finite number',
      );
      await expect(refusalOf('{"metadata":{"__proto__":"x"}}')).resolves.toBe(
        'metadata key "__proto__" is not allowed: names may not be "__proto__"',
      );
    });

    it('refuses a body without metadata, or with other properties, as the ValidationPipe did', async () => {
      await expect(refusalOf('{}')).resolves.toEqual(['metadata must be an object']);
      await expect(refusalOf('{"metadata":{},"colour":"red"}')).resolves.toEqual([
        'property colour should not exist',
      ]);
    });

    it('shows why @Body() is not enough: the pipe deletes constructor before the DTO sees it', async () => {
      const dto = await validate(UpdateItemDto, '{"metadata":{"constructor":"y","a":1}}');
      expect({ ...dto.metadata }).toEqual({ a: 1 });
    });
  });

  describe(SearchTextDto.name, () => {
    it('says only that a missing or non-string query must be a string', async () => {
      await expect(messageOf(validate(SearchTextDto, '{}'))).resolves.toEqual([
        'query must be a string',
      ]);
      await expect(messageOf(validate(SearchTextDto, '{"query":{"a":1}}'))).resolves.toEqual([
        'query must be a string',
      ]);
    });

    it('still refuses a query over 1000 characters', async () => {
      const body = JSON.stringify({ query: 'x'.repeat(1001) });
      await expect(messageOf(validate(SearchTextDto, body))).resolves.toEqual([
        'query must be shorter than or equal to 1000 characters',
      ]);
      await expect(
        validate(SearchTextDto, JSON.stringify({ query: 'x'.repeat(1000) })),
      ).resolves.toMatchObject({ query: 'x'.repeat(1000) });
    });
  });

  describe('where', () => {
    it('tells text that is not JSON from JSON that is not an object', async () => {
      const notJson = validate(ItemsQueryDto, '{"where":"{nope"}', 'query');
      const notObject = validate(ItemsQueryDto, '{"where":"[1]"}', 'query');
      await expect(messageOf(notJson)).resolves.toBe('where is not valid JSON');
      await expect(messageOf(notObject)).resolves.toBe('where must be a JSON object');
    });

    it('keeps keys of a filter in a JSON body that class-transformer would leave out', async () => {
      const dto = await validate(
        SearchOptionsDto,
        '{"where":{"$and":[{"valueOf":"x"},{"toString":{"$in":["a"]}}]}}',
      );
      const expected: Record<string, unknown> = {
        $and: [{ valueOf: 'x' }, { toString: { $in: ['a'] } }],
      };
      expect(dto.where).toEqual(expected);
    });
  });
});
