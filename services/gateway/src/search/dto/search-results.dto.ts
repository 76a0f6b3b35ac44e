import { ApiProperty } from '@nestjs/swagger';
import {
  SearchResultDto as QueryResultDto,
  SearchResultsDto as QueryResultsDto,
} from '@imgsearch/search-api';

/** A result as users see it: the query service's result with links to its files. */
export class SearchResultDto extends QueryResultDto {
  @ApiProperty({ example: '/api/items/SKU-1042/image' })
  imageUrl!: string;

  @ApiProperty({ example: '/api/items/SKU-1042/thumbnail' })
  thumbnailUrl!: string;
}

export class SearchResultsDto extends QueryResultsDto {
  @ApiProperty({ type: [SearchResultDto] })
  declare results: SearchResultDto[];
}
