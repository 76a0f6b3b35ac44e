import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CatalogUpload, UploadedPart } from '../upload/catalog-upload';

const SAMPLES = resolve(__dirname, '../../../../../samples');

/** The committed sample catalogues. */
export const samples = {
  photosCsv: join(SAMPLES, 'catalog/photos.csv'),
  photosZip: join(SAMPLES, 'catalog/photos.zip'),
  fall24Csv: join(SAMPLES, 'seed-format/Fall24.csv'),
  fall24Zip: join(SAMPLES, 'seed-format/Fall24.zip'),
  fall24Mapping: join(SAMPLES, 'seed-format/Fall24.mapping.json'),
};

/**
 * Builds a {@link CatalogUpload} as the upload interceptor leaves it: copies of the given
 * files in a request folder of their own (the service moves them away).
 */
export class CatalogUploadBuilder {
  private static count = 0;
  private csv: { from: string } | { text: string | Buffer } = { from: samples.photosCsv };
  private archive: { from: string } | { text: string | Buffer } = { from: samples.photosZip };
  private mapping?: string;

  constructor(private readonly root: string) {}

  withCsv(path: string): this {
    this.csv = { from: path };
    return this;
  }

  /** The CSV's content: text is written as UTF-8, bytes as they are. */
  withCsvText(text: string | Buffer): this {
    this.csv = { text };
    return this;
  }

  withArchive(path: string): this {
    this.archive = { from: path };
    return this;
  }

  withArchiveText(text: string): this {
    this.archive = { text };
    return this;
  }

  /** Sends the mapping as a file part. */
  withMappingFile(path: string): this {
    this.mapping = path;
    return this;
  }

  build(): CatalogUpload {
    const folder = join(this.root, `request-${++CatalogUploadBuilder.count}`);
    mkdirSync(folder, { recursive: true });
    const upload: CatalogUpload = {
      csv: place(folder, 'csv', this.csv, 'catalog.csv'),
      archive: place(folder, 'archive', this.archive, 'images.zip'),
    };
    if (this.mapping) upload.mapping = place(folder, 'mapping', { from: this.mapping }, '');
    return upload;
  }
}

function place(
  folder: string,
  field: string,
  source: { from: string } | { text: string | Buffer },
  fallbackName: string,
): UploadedPart {
  const path = join(folder, field);
  if ('from' in source) copyFileSync(source.from, path);
  else writeFileSync(path, source.text);
  const originalName = 'from' in source ? basename(source.from) : fallbackName;
  return { path, originalName, size: statSync(path).size };
}
