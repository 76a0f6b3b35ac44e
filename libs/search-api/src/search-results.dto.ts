import { ApiProperty } from '@nestjs/swagger';
import type { ItemMetadata } from '@imgsearch/vector-store';
import { METADATA_SCHEMA } from './item.dto';

/** A result as the query service answers it; the gateway adds links to its files. */
export class SearchResultDto {
  @ApiProperty({ example: 'SKU-1042' })
  id!: string;

  @ApiProperty({ minimum: -1, maximum: 1, description: 'Cosine similarity to the query.' })
  score!: number;

  @ApiProperty(METADATA_SCHEMA)
  metadata!: ItemMetadata;
}

export class SearchResultsDto {
  @ApiProperty({ type: [SearchResultDto], description: 'Highest score first.' })
  results!: SearchResultDto[];
}
