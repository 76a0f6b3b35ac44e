import { ApiPropertyOptional } from '@nestjs/swagger';
import type { WhereFilter } from '@imgsearch/vector-store';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  Min,
} from 'class-validator';
import { toOptionalNumber, WhereField } from './dto-fields';

export const MAX_IDS = 1000;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/**
 * `GET /api/items` (the gateway) and `GET /items` (the query service): either `ids` (look those
 * items up) or a page of the catalogue (`limit`, `cursor`, `where`); the two cannot be combined.
 */
export class ItemsQueryDto {
  @ApiPropertyOptional({
    type: String,
    example: 'SKU-1,SKU-2',
    description:
      'Comma-separated ids to look up, at most 1000; repeat the parameter for ids holding a comma.',
  })
  @Transform(({ value }) => toIdList(value))
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'ids must name at least 1 item' })
  @ArrayMaxSize(MAX_IDS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  ids?: string[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
  })
  @Transform(({ value }) => toOptionalNumber(value))
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page (an opaque token: the offset, encoded).',
  })
  @IsOptional()
  @IsString()
  cursor?: string;

  @WhereField()
  where?: WhereFilter;
}

/** `a,b,c` -> three ids; a repeated parameter (`ids=a&ids=b`) keeps each value whole. */
export function toIdList(value: unknown): unknown {
  if (typeof value === 'string') return value.split(',').filter((id) => id !== '');
  return value;
}
