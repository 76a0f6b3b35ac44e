import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { IngestState } from '@imgsearch/queue';

export const INGEST_STATES: IngestState[] = [
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
];

export class IngestProgressDto {
  @ApiProperty({ example: 19, description: 'Data rows in the CSV, refused ones included.' })
  total!: number;

  @ApiProperty({ example: 18, description: 'Rows whose image is embedded and searchable.' })
  embedded!: number;

  @ApiProperty({ example: 0, description: 'Rows left alone because the job was cancelled.' })
  skipped!: number;

  @ApiProperty({
    example: 1,
    description: 'Rows that could not be embedded: refused at upload, or failed while embedding.',
  })
  failed!: number;
}

export class IngestRowErrorDto {
  @ApiProperty({ example: 18, description: 'Line of the CSV (the header is line 1).' })
  row!: number;

  @ApiPropertyOptional({ example: 'Fall2417' })
  id?: string;

  @ApiPropertyOptional({ example: 'Fall2417.jpg', description: 'The image path the row names.' })
  file?: string;

  @ApiProperty({ example: 'image "Fall2417.jpg" not found in the archive' })
  reason!: string;
}

/** A job as the job list shows it. */
export class IngestJobDto {
  @ApiProperty({ format: 'uuid' })
  jobId!: string;

  @ApiProperty({ enum: INGEST_STATES })
  state!: IngestState;

  @ApiProperty({ type: IngestProgressDto })
  progress!: IngestProgressDto;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  finishedAt?: Date;

  @ApiPropertyOptional({
    description: 'Why the job failed, when it did.',
    example: 'no image could be embedded',
  })
  reason?: string;

  @ApiProperty({
    description:
      'Whether the job was cancelled; it ends `cancelled` once its running chunks finish.',
  })
  cancelRequested!: boolean;

  @ApiProperty({ format: 'uuid', description: 'The admin who uploaded the catalogue.' })
  createdBy!: string;

  @ApiProperty({ example: 'Fall24.csv' })
  csvName!: string;

  @ApiProperty({ example: 'Fall24.zip' })
  archiveName!: string;
}

/** A job with its row errors: `GET /api/ingest/:jobId` and each event of `/events`. */
export class IngestStatusDto extends IngestJobDto {
  @ApiProperty({
    type: [IngestRowErrorDto],
    description: 'Row errors sorted by row, at most 1000; errors.csv has them all.',
  })
  errors!: IngestRowErrorDto[];

  @ApiProperty({ description: 'Whether `errors` leaves some out.' })
  errorsTruncated!: boolean;
}

export class IngestAcceptedDto {
  @ApiProperty({ format: 'uuid' })
  jobId!: string;

  @ApiProperty({ enum: ['queued'] })
  state!: 'queued';
}

export class IngestJobListDto {
  @ApiProperty({ type: [IngestJobDto], description: 'Newest first.' })
  jobs!: IngestJobDto[];

  @ApiPropertyOptional({ description: 'The `offset` of the next page, when there is one.' })
  nextOffset?: number;
}
