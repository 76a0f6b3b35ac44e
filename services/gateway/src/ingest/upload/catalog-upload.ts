/** One file part of an upload, already on disk in the request's temporary folder. */
export interface UploadedPart {
  path: string;
  /** The file name the client gave, without any folder. */
  originalName: string;
  size: number;
}

/** The files of `POST /api/ingest`, received and checked for size and kind, not yet for content. */
export interface CatalogUpload {
  csv: UploadedPart;
  archive: UploadedPart;
  /** The mapping, when sent as a file part rather than a text field. */
  mapping?: UploadedPart;
}
