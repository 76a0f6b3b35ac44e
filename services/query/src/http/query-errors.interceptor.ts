import {
  BadRequestException,
  CallHandler,
  Inject,
  Injectable,
  NestInterceptor,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { EmptyTextError, ImageDecodeError } from '@imgsearch/clip';
import { withImageLimit } from '@imgsearch/search-api';
import { InvalidFilterError } from '@imgsearch/vector-store';
import { catchError, Observable, throwError } from 'rxjs';
import { InvalidCursorError } from '../items/item-cursor';
import { ItemNotFoundError } from '../items/item-not-found.error';
import { QUERY_CONFIG, QueryConfig } from '../query.config';

/** Maps the query domain's refusals to HTTP statuses; anything else passes through untouched. */
@Injectable()
export class QueryErrorsInterceptor implements NestInterceptor {
  constructor(
    @Inject(QUERY_CONFIG) private readonly config: Pick<QueryConfig, 'IMAGE_MAX_BYTES'>,
  ) {}

  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(catchError((error: unknown) => throwError(() => this.toHttpException(error))));
  }

  private toHttpException(error: unknown): unknown {
    if (error instanceof EmptyTextError) return new BadRequestException('query text is empty');
    // Includes ImageTooLargeError (too many pixels): the upload is the problem, not the server.
    if (error instanceof ImageDecodeError) return new UnprocessableEntityException(error.message);
    if (error instanceof InvalidFilterError || error instanceof InvalidCursorError)
      return new BadRequestException(error.message);
    if (error instanceof ItemNotFoundError) return new NotFoundException(error.message);
    // multer's "File too large" gets the limit named; anything else passes through.
    return withImageLimit(error, this.config.IMAGE_MAX_BYTES);
  }
}
