import {
  BadRequestException,
  HttpException,
  PayloadTooLargeException,
  UnprocessableEntityException,
} from '@nestjs/common';
import {
  ArchiveIndex,
  CatalogCsvError,
  CatalogCsvReader,
  CatalogMappingError,
  parseCatalogMapping,
  SafeZip,
  ZipArchiveError,
  type CatalogCsvContents,
  type CatalogMapping,
  type CatalogRowError,
} from '@imgsearch/ingest';
import type { IngestRow, IngestRowError } from '@imgsearch/queue';
import type { IngestOptions } from './ingest.options';

/** A catalogue checked against its archive: what to queue, and what was refused already. */
export interface CatalogPlan {
  /** The mapping as applied, defaults filled in. */
  mapping: CatalogMapping;
  /** Every data row of the CSV. */
  total: number;
  /** Rows whose image was found, in file order. */
  rows: IngestRow[];
  /** Rows that cannot be embedded (bad row, repeated id, image missing), sorted by row. */
  refused: IngestRowError[];
}

export interface CatalogFiles {
  csvPath: string;
  archivePath: string;
  /** The mapping's JSON text; none means the default mapping. */
  mapping?: string;
}

/**
 * Reads an uploaded catalogue the way the embedders will, before anything is queued: the
 * mapping, the whole CSV, and the ZIP's central directory, resolving every row's image.
 * A catalogue that cannot be ingested at all is refused with the HTTP error its uploader
 * needs to fix it; row problems are only collected.
 */
export class CatalogUploadInspector {
  constructor(private readonly options: Pick<IngestOptions, 'csv' | 'zip'>) {}

  async inspect(files: CatalogFiles): Promise<CatalogPlan> {
    const mapping = parseMapping(files.mapping);
    const contents = await this.readCsv(mapping, files.csvPath);
    if (contents.rows === 0) {
      throw new UnprocessableEntityException('the CSV has a header but no data rows');
    }
    const index = await this.indexArchive(files.archivePath);
    const rows: IngestRow[] = [];
    const refused: IngestRowError[] = contents.errors.map(toRowError);
    for (const item of contents.items) {
      const resolved = index.resolveItem(item, mapping.imageFolder);
      if (resolved.kind === 'error') refused.push(toRowError(resolved));
      else
        rows.push({ row: item.row, id: item.id, entry: resolved.entry, metadata: item.metadata });
    }
    refused.sort((a, b) => a.row - b.row);
    return { mapping, total: contents.rows, rows, refused };
  }

  private async readCsv(mapping: CatalogMapping, path: string): Promise<CatalogCsvContents> {
    try {
      return await new CatalogCsvReader(mapping, this.options.csv).collect(path);
    } catch (error) {
      throw error instanceof CatalogCsvError ? csvRefusal(error) : error;
    }
  }

  private async indexArchive(path: string): Promise<ArchiveIndex> {
    let zip: SafeZip;
    try {
      zip = await SafeZip.open(path, this.options.zip);
    } catch (error) {
      throw error instanceof ZipArchiveError ? archiveRefusal(error) : error;
    }
    try {
      return ArchiveIndex.of(zip);
    } finally {
      zip.close();
    }
  }
}

function parseMapping(text: string | undefined): CatalogMapping {
  try {
    return parseCatalogMapping(text);
  } catch (error) {
    if (error instanceof CatalogMappingError) throw new BadRequestException(error.problems);
    throw error;
  }
}

function csvRefusal(error: CatalogCsvError): HttpException {
  const columns = (error.details.columns ?? []).join(', ');
  switch (error.problem) {
    case 'missing-columns':
      return new UnprocessableEntityException(`CSV header is missing column(s): ${columns}`);
    case 'duplicate-columns':
      return new UnprocessableEntityException(`CSV header repeats column(s): ${columns}`);
    case 'record-too-large':
      return new PayloadTooLargeException(`CSV ${error.message} (INGEST_MAX_ROW_BYTES)`);
    case 'too-many-rows':
      return new PayloadTooLargeException(`${error.message}; the limit is INGEST_MAX_ROWS`);
    case 'unstorable-columns':
    case 'not-utf8':
    case 'empty':
      return new UnprocessableEntityException(error.message);
    case 'malformed':
      return new UnprocessableEntityException(
        /\bCSV\b/.test(error.message) ? error.message : `in the CSV, ${error.message}`,
      );
  }
}

function archiveRefusal(error: ZipArchiveError): HttpException {
  if (error.problem === 'unreadable') {
    const detail = error.message.replace(/^the file is not a readable ZIP archive: /, '');
    return new UnprocessableEntityException(`archive is not a readable ZIP file: ${detail}`);
  }
  return new PayloadTooLargeException(`archive is refused: ${error.message}`);
}

function toRowError({ row, id, file, reason }: CatalogRowError): IngestRowError {
  return {
    row,
    ...(id !== undefined && { id }),
    ...(file !== undefined && { file }),
    reason,
  };
}
