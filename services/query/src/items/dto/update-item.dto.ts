import { BadRequestException } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsObject } from 'class-validator';
import { MetadataPatch, MetadataPatchError, parseMetadataPatch } from '../metadata-patch';

export class UpdateItemDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: {
      oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
      nullable: true,
    },
    example: { Color: 'Blue', discontinued: null },
    description: 'Merged into the stored metadata; `null` removes a key. The vector is kept.',
  })
  @Transform(({ value }) => toMetadataPatch(value))
  @IsObject()
  metadata!: MetadataPatch;
}

function toMetadataPatch(value: unknown): MetadataPatch {
  try {
    return parseMetadataPatch(value);
  } catch (error) {
    if (error instanceof MetadataPatchError) throw new BadRequestException(error.message);
    throw error;
  }
}
