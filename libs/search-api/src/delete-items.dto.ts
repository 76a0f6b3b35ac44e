import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsString } from 'class-validator';
import { MAX_IDS } from './items-query.dto';

export class DeleteItemsDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_IDS, example: ['SKU-1', 'SKU-2'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_IDS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  ids!: string[];
}

export class DeleteItemsResultDto {
  @ApiProperty({ type: [String], description: 'Ids deleted, with their vectors and files.' })
  deleted!: string[];

  @ApiProperty({ type: [String], description: 'Ids that were not stored.' })
  missing!: string[];
}
