import { CallHandler, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { withImageLimit } from '@imgsearch/search-api';
import { catchError, Observable, throwError } from 'rxjs';
import { GATEWAY_CONFIG, GatewayConfig } from '../gateway.config';

/** multer's "File too large" does not say what the limit is; this answer does. */
@Injectable()
export class ImageUploadErrorsInterceptor implements NestInterceptor {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'IMAGE_MAX_BYTES'>,
  ) {}

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() => withImageLimit(error, this.config.IMAGE_MAX_BYTES)),
        ),
      );
  }
}
