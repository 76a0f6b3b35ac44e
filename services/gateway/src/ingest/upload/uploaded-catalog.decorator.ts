import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { CatalogUpload } from './catalog-upload';
import { CATALOG_UPLOAD, type RequestWithUpload } from './ingest-upload.interceptor';

/** The files IngestUploadInterceptor received for this request. */
export const UploadedCatalog = createParamDecorator(
  (_data: unknown, context: ExecutionContext): CatalogUpload | undefined =>
    context.switchToHttp().getRequest<RequestWithUpload>()[CATALOG_UPLOAD],
);
