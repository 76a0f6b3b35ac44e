import { ApiProperty } from '@nestjs/swagger';
import {
  ItemPageDto as StoredItemPageDto,
  ItemsByIdDto as StoredItemsByIdDto,
} from '@imgsearch/search-api';
import { ItemDto } from './item.dto';

/** The query service's lists with links on every item; the rest comes from the shared classes. */
export class ItemsByIdDto extends StoredItemsByIdDto {
  @ApiProperty({ type: [ItemDto] })
  declare items: ItemDto[];
}

export class ItemPageDto extends StoredItemPageDto {
  @ApiProperty({ type: [ItemDto] })
  declare items: ItemDto[];
}
