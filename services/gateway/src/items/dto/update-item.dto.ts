import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';
import type { MetadataPatch } from '../../query-client/query-client.types';

export class UpdateItemDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: {
      oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
      nullable: true,
    },
    example: { Color: 'Blue', discontinued: null },
    description:
      'Merged into the stored metadata; `null` removes a key. Values are strings, numbers or booleans. The vector is kept.',
  })
  @IsObject()
  metadata!: MetadataPatch;
}
