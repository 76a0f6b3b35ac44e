/** The embedder's Redis client for job progress and readiness; a worker connection that never gives up a command. */
export const EMBEDDER_REDIS = Symbol('EMBEDDER_REDIS');
/** The loaded `ClipModel`. */
export const CLIP_MODEL = Symbol('CLIP_MODEL');
/** The `ChromaImageRepository` of CHROMA_COLLECTION, checked against the loaded model. */
export const IMAGE_REPOSITORY = Symbol('IMAGE_REPOSITORY');
/** The `ZipArchiveCache` of uploaded archives. */
export const ARCHIVE_CACHE = Symbol('ARCHIVE_CACHE');
/** The `IngestWorker` consuming the ingest queue. */
export const INGEST_WORKER = Symbol('INGEST_WORKER');
