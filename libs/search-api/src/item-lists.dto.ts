import { ApiProperty } from '@nestjs/swagger';
import { ItemDto } from './item.dto';

export class ItemsByIdDto {
  @ApiProperty({ type: [ItemDto], description: 'Found items, in the order asked for.' })
  items!: ItemDto[];

  @ApiProperty({ type: [String], description: 'Ids asked for that are not stored.' })
  missing!: string[];
}

export class ItemPageDto {
  @ApiProperty({ type: [ItemDto] })
  items!: ItemDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}
