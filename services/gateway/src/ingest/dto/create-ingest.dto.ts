import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * The text fields of `POST /api/ingest`, validated. The file parts are read by
 * IngestUploadInterceptor; {@link IngestUploadDto} describes the whole body for OpenAPI.
 */
export class CreateIngestDto {
  @ApiPropertyOptional({
    description:
      'How columns become items, as JSON (a text field, or a file part of the same name). ' +
      'Default: id column `id`, image column `image`, every other column metadata.',
    example:
      '{"idTemplate": "{collection_changed}{Serial No.}", "imageTemplate": "{collection_changed}{Serial No.}.jpg", "imageFolder": "Fall24"}',
  })
  @IsOptional()
  @IsString()
  mapping?: string;
}

/**
 * The multipart body as OpenAPI shows it. Never validated: its file properties, declared on a
 * class, would read as fields the body must not have.
 */
export class IngestUploadDto extends CreateIngestDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'The catalogue: UTF-8 CSV with a header row.',
  })
  csv!: unknown;

  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'A ZIP of the images the CSV names.',
  })
  archive!: unknown;
}
