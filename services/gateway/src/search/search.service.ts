import { BadRequestException, Injectable } from '@nestjs/common';
import type { SearchOptionsDto, SearchTextDto } from '@imgsearch/search-api';
import { withLinks } from '../items/item-links';
import { QueryClient } from '../query-client/query.client';
import type { ImageUpload, QueryResults } from '../query-client/query-client.types';
import type { SearchResultsDto } from './dto/search-results.dto';

/** Searches through the query service; results come back with links to their pictures. */
@Injectable()
export class SearchService {
  constructor(private readonly query: QueryClient) {}

  async byText(dto: SearchTextDto, requestId?: string): Promise<SearchResultsDto> {
    return linked(await this.query.searchText(dto, requestId));
  }

  async byImage(
    image: ImageUpload | undefined,
    dto: SearchOptionsDto,
    requestId?: string,
  ): Promise<SearchResultsDto> {
    if (!image) throw new BadRequestException('image file is required');
    return linked(await this.query.searchImage(image, dto, requestId));
  }
}

function linked({ results }: QueryResults): SearchResultsDto {
  return { results: results.map(withLinks) };
}
