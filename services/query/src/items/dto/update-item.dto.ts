import { BadRequestException } from '@nestjs/common';
import { UpdateItemDto as SharedUpdateItemDto, type MetadataPatch } from '@imgsearch/search-api';
import { Transform } from 'class-transformer';
import { MetadataPatchError, parseMetadataPatch } from '../metadata-patch';

/** The shared item update, each key and value checked before Chroma sees them. */
export class UpdateItemDto extends SharedUpdateItemDto {
  @Transform(({ value }) => toMetadataPatch(value))
  declare metadata: MetadataPatch;
}

function toMetadataPatch(value: unknown): MetadataPatch {
  try {
    return parseMetadataPatch(value);
  } catch (error) {
    if (error instanceof MetadataPatchError) throw new BadRequestException(error.message);
    throw error;
  }
}
