import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import type { ItemMetadata } from '@imgsearch/vector-store';

/** OpenAPI shape of an item's metadata: flat, values string, number or boolean. */
export const METADATA_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
  example: { title: 'Red linen shirt', Color: 'Red', gsm: 140 },
};

/** An item as the query service stores it; the gateway adds links to its files. */
export class ItemDto {
  @ApiProperty({ example: 'SKU-1042' })
  id!: string;

  @ApiProperty(METADATA_SCHEMA)
  metadata!: ItemMetadata;
}
