import { ApiProperty } from '@nestjs/swagger';
import type { ItemMetadata } from '@imgsearch/vector-store';
import { METADATA_SCHEMA } from '../../items/dto/item.dto';

export class SearchResultDto {
  @ApiProperty({ example: 'SKU-1042' })
  id!: string;

  @ApiProperty({ minimum: -1, maximum: 1, description: 'Cosine similarity to the query.' })
  score!: number;

  @ApiProperty(METADATA_SCHEMA)
  metadata!: ItemMetadata;

  @ApiProperty({ example: '/api/items/SKU-1042/image' })
  imageUrl!: string;

  @ApiProperty({ example: '/api/items/SKU-1042/thumbnail' })
  thumbnailUrl!: string;
}

export class SearchResultsDto {
  @ApiProperty({ type: [SearchResultDto], description: 'Highest score first.' })
  results!: SearchResultDto[];
}
