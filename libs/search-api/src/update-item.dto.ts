import { ApiProperty } from '@nestjs/swagger';
import type { MetadataValue } from '@imgsearch/vector-store';
import { IsObject } from 'class-validator';

/** Metadata changes: values to set, `null` to remove a key. */
export type MetadataPatch = Record<string, MetadataValue | null>;

/** `PATCH` an item; the query service checks each key and value before storing the change. */
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
