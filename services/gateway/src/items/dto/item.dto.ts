import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { ItemMetadata } from '@imgsearch/vector-store';

/** OpenAPI shape of an item's metadata: flat, values string, number or boolean. */
export const METADATA_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  example: { title: 'Red linen shirt', Color: 'Red', gsm: 140 },
};

export class ItemDto {
  @ApiProperty({ example: 'SKU-1042' })
  id!: string;

  @ApiProperty(METADATA_SCHEMA)
  metadata!: ItemMetadata;

  @ApiProperty({ example: '/api/items/SKU-1042/image', description: 'The stored original.' })
  imageUrl!: string;

  @ApiProperty({ example: '/api/items/SKU-1042/thumbnail', description: 'A small JPEG.' })
  thumbnailUrl!: string;
}
