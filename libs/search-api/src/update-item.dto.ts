import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsObject } from 'class-validator';
import { MetadataPatchError, parseMetadataPatch, type MetadataPatch } from './metadata-patch';

/** `PATCH` an item, at the gateway and at the query service alike; read it with {@link UpdateItemBody}. */
export class UpdateItemDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: {
      oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
      nullable: true,
    },
    example: { Color: 'Blue', discontinued: null },
    description:
      'Merged into the stored metadata; `null` removes a key. Values are strings, finite numbers or booleans; keys may not be empty, start with "$" or "#", or be "__proto__". The vector is kept.',
  })
  // For a plain `@Body()`: checks the same, but cannot bring back keys the pipe deleted.
  @Transform(({ obj, key }) => {
    const value = (obj as Record<string, unknown>)[key];
    return value === undefined || value === null ? value : toMetadataPatch(value);
  })
  @IsObject()
  metadata!: MetadataPatch;
}

/**
 * The request body as an {@link UpdateItemDto}, each key and value checked before the change
 * is forwarded or stored. A parameter decorator of its own, which the global ValidationPipe
 * leaves alone, because that pipe deletes `constructor` and `prototype` keys from a body before
 * anything reads it, and class-transformer then leaves out `toString` and its kind: with
 * `@Body()` such metadata keys were dropped while the PATCH answered 200. Pair it with
 * `@ApiBody({ type: UpdateItemDto })`.
 * @throws BadRequestException naming the first bad key or value, or an unknown property
 */
export const UpdateItemBody = createParamDecorator(
  (_data: unknown, context: ExecutionContext): UpdateItemDto =>
    toUpdateItemDto(context.switchToHttp().getRequest<{ body?: unknown }>().body),
);

/** Checks a PATCH body as express parsed it; see {@link UpdateItemBody}. */
export function toUpdateItemDto(body: unknown): UpdateItemDto {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
  const unknown = Object.keys(fields).filter((key) => key !== 'metadata');
  if (unknown.length > 0) {
    // The words of the ValidationPipe's forbidNonWhitelisted, as every other body hears them.
    throw new BadRequestException(unknown.map((key) => `property ${key} should not exist`));
  }
  const metadata = (fields as { metadata?: unknown }).metadata;
  if (metadata === undefined || metadata === null) {
    throw new BadRequestException(['metadata must be an object']);
  }
  const dto = new UpdateItemDto();
  dto.metadata = toMetadataPatch(metadata);
  return dto;
}

function toMetadataPatch(value: unknown): MetadataPatch {
  try {
    return parseMetadataPatch(value);
  } catch (error) {
    if (error instanceof MetadataPatchError) throw new BadRequestException(error.message);
    throw error;
  }
}
