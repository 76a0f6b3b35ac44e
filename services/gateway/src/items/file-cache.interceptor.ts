import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';

/**
 * Lets the browser keep a served picture for an hour, privately (every request needs a token).
 * Set on success only, unlike `@Header()`: a cached 404 would hide a picture ingested later.
 */
@Injectable()
export class FileCacheInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap(() => {
        response.setHeader('Cache-Control', 'private, max-age=3600');
        response.setHeader('X-Content-Type-Options', 'nosniff');
      }),
    );
  }
}
