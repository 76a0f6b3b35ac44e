import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  type DeleteItemsDto,
  type DeleteItemsResultDto,
  type ItemDto,
  type ItemPageDto,
  type ItemsByIdDto,
  type ItemsQueryDto,
  type MetadataPatch,
  type UpdateItemDto,
} from '@imgsearch/search-api';
import { ChromaImageRepository, type StoredItem } from '@imgsearch/vector-store';
import { itemCursor } from './item-cursor';
import { ItemNotFoundError } from './item-not-found.error';
import { applyMetadataPatch, keysToSet, removedKeys } from './metadata-patch';

/** Reads, lists, edits and deletes stored items (vectors and metadata; never the files). */
@Injectable()
export class ItemsService {
  private readonly logger = new Logger(ItemsService.name);

  constructor(private readonly vectors: ChromaImageRepository) {}

  async get(id: string): Promise<ItemDto> {
    return toItemDto(await this.stored(id));
  }

  find(dto: ItemsQueryDto): Promise<ItemsByIdDto | ItemPageDto> {
    if (dto.ids === undefined) return this.page(dto);
    if (dto.limit !== undefined || dto.cursor !== undefined || dto.where !== undefined)
      throw new BadRequestException('ids cannot be combined with limit, cursor or where');
    return this.byIds(dto.ids);
  }

  /** Merges the patch into the stored metadata; the vector is kept as it is. */
  async update(id: string, dto: UpdateItemDto): Promise<ItemDto> {
    const item = await this.stored(id);
    if (removedKeys(item.metadata, dto.metadata).length > 0)
      await this.replaceMetadata(item, applyMetadataPatch(item.metadata, dto.metadata));
    else await this.setKeys(id, dto.metadata);
    return this.get(id);
  }

  async delete(dto: DeleteItemsDto): Promise<DeleteItemsResultDto> {
    const ids = [...new Set(dto.ids)];
    const found = new Set((await this.vectors.get(ids)).map((item) => item.id));
    const deleted = ids.filter((id) => found.has(id));
    await this.vectors.delete(deleted);
    return { deleted, missing: ids.filter((id) => !found.has(id)) };
  }

  private async byIds(requested: string[]): Promise<ItemsByIdDto> {
    const ids = [...new Set(requested)];
    const found = new Map((await this.vectors.get(ids)).map((item) => [item.id, item]));
    return {
      items: ids.flatMap((id) => (found.has(id) ? [toItemDto(found.get(id)!)] : [])),
      missing: ids.filter((id) => !found.has(id)),
    };
  }

  private async page(dto: ItemsQueryDto): Promise<ItemPageDto> {
    const limit = dto.limit ?? DEFAULT_PAGE_SIZE;
    const offset = itemCursor.decode(dto.cursor);
    // One more than asked tells whether another page follows.
    const items = await this.vectors.list({ where: dto.where, limit: limit + 1, offset });
    return {
      items: items.slice(0, limit).map(toItemDto),
      nextCursor: items.length > limit ? itemCursor.encode(offset + limit) : null,
    };
  }

  private async stored(id: string): Promise<StoredItem> {
    const [item] = await this.vectors.get([id]);
    if (!item) throw new ItemNotFoundError(id);
    return item;
  }

  /** Chroma merges updates key by key, so concurrent patches of different keys both survive. */
  private async setKeys(id: string, patch: MetadataPatch): Promise<void> {
    const set = keysToSet(patch);
    if (Object.keys(set).length > 0) await this.vectors.updateMetadata(id, set);
  }

  /**
   * Removing a key: Chroma's update and upsert both merge metadata, and its JS client drops the
   * `null` that tells the server to remove a key, so the record is deleted and written again
   * with its stored vector. For that moment the item is missing from searches; if the write
   * fails the old record is put back.
   * TODO: an atomic key removal in libs/vector-store (Chroma's REST update with null values does
   * it) would make this a single update; the lib is not this service's to change.
   */
  private async replaceMetadata(item: StoredItem, metadata: StoredItem['metadata']): Promise<void> {
    const embedding = await this.vectors.getEmbedding(item.id);
    if (!embedding) throw new ItemNotFoundError(item.id);
    await this.vectors.delete([item.id]);
    try {
      await this.vectors.upsert([{ id: item.id, embedding, metadata, imageKey: item.imageKey }]);
    } catch (error) {
      await this.vectors
        .upsert([{ id: item.id, embedding, metadata: item.metadata, imageKey: item.imageKey }])
        .catch((restoreError: unknown) =>
          this.logger.error(
            `item ${item.id} lost while removing metadata keys: ${String(restoreError)}`,
          ),
        );
      throw error;
    }
  }
}

function toItemDto(item: StoredItem): ItemDto {
  return { id: item.id, metadata: item.metadata };
}
