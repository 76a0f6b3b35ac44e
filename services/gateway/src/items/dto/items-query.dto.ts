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
import { toOptionalNumber, WhereField } from '../../query-client/query-fields.decorators';

export const MAX_IDS = 1000;

/**
 * `GET /api/items`: either `ids` (look those items up) or a page of the catalogue
 * (`limit`, `cursor`, `where`); the two cannot be combined.
 */
export class ItemsQueryDto {
  @ApiPropertyOptional({
    type: String,
    example: 'SKU-1,SKU-2',
    description:
      'Comma-separated ids to look up, at most 1000; repeat the parameter for ids holding a comma.',
  })
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1, { message: 'ids must name at least 1 item' })
  @ArrayMaxSize(MAX_IDS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  ids?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 50 })
  @Transform(({ value }) => toOptionalNumber(value))
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
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
