import { ApiProperty } from '@nestjs/swagger';
import { ItemDto as StoredItemDto } from '@imgsearch/search-api';

/** An item as users see it: the query service's record with links to its files. */
export class ItemDto extends StoredItemDto {
  @ApiProperty({ example: '/api/items/SKU-1042/image', description: 'The stored original.' })
  imageUrl!: string;

  @ApiProperty({ example: '/api/items/SKU-1042/thumbnail', description: 'A small JPEG.' })
  thumbnailUrl!: string;
}
