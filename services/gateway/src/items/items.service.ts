import { Injectable, NotFoundException } from '@nestjs/common';
import type {
  DeleteItemsDto,
  DeleteItemsResultDto,
  ItemsQueryDto,
  SearchOptionsDto,
  UpdateItemDto,
} from '@imgsearch/search-api';
import { QueryClient } from '../query-client/query.client';
import type { QueryItemPage, QueryItemsById } from '../query-client/query-client.types';
import type { SearchResultsDto } from '../search/dto/search-results.dto';
import type { ItemDto } from './dto/item.dto';
import type { ItemPageDto, ItemsByIdDto } from './dto/item-lists.dto';
import { ItemFilesService } from './item-files.service';
import { withLinks } from './item-links';

/** Items as users see them: the query service's records with links to their files. */
@Injectable()
export class ItemsService {
  constructor(
    private readonly query: QueryClient,
    private readonly files: ItemFilesService,
  ) {}

  async get(id: string, requestId?: string): Promise<ItemDto> {
    return withLinks(await this.query.getItem(id, requestId));
  }

  async find(dto: ItemsQueryDto, requestId?: string): Promise<ItemsByIdDto | ItemPageDto> {
    const found: QueryItemsById | QueryItemPage = await this.query.findItems(dto, requestId);
    return { ...found, items: found.items.map(withLinks) };
  }

  async similar(id: string, dto: SearchOptionsDto, requestId?: string): Promise<SearchResultsDto> {
    const { results } = await this.query.similar(id, dto, requestId);
    return { results: results.map(withLinks) };
  }

  async update(id: string, dto: UpdateItemDto, requestId?: string): Promise<ItemDto> {
    return withLinks(await this.query.updateItem(id, dto.metadata, requestId));
  }

  /** 404 when nothing is stored under the id. */
  async deleteOne(id: string, requestId?: string): Promise<void> {
    const { deleted } = await this.deleteMany({ ids: [id] }, requestId);
    if (deleted.length === 0) throw new NotFoundException(`item ${id} not found`);
  }

  /**
   * Vectors first, then files: a search never finds an item whose picture is gone, and a
   * failure in between leaves at worst files nothing points to.
   */
  async deleteMany(dto: DeleteItemsDto, requestId?: string): Promise<DeleteItemsResultDto> {
    const result = await this.query.deleteItems(dto.ids, requestId);
    await this.files.remove(result.deleted);
    return result;
  }
}
