import {
  BadRequestException,
  CallHandler,
  ConflictException,
  HttpException,
  HttpStatus,
  Injectable,
  NestInterceptor,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import {
  InvalidCredentialsError,
  LastAdminError,
  LoginThrottledError,
  UsernameTakenError,
  UserNotFoundError,
  WeakPasswordError,
} from '@imgsearch/auth';
import { catchError, Observable, throwError } from 'rxjs';

/** 429 whose `Retry-After` header HttpErrorFilter copies onto the response. */
class TooManyAttemptsException extends HttpException {
  readonly headers: Record<string, string>;

  constructor(error: LoginThrottledError) {
    super(error.message, HttpStatus.TOO_MANY_REQUESTS);
    this.headers = { 'Retry-After': String(error.retryAfterSeconds) };
  }
}

/** Maps the auth domain's refusals to HTTP statuses; anything else passes through untouched. */
@Injectable()
export class AuthErrorsInterceptor implements NestInterceptor {
  intercept(_context: unknown, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(catchError((error: unknown) => throwError(() => toHttpException(error))));
  }
}

function toHttpException(error: unknown): unknown {
  if (error instanceof WeakPasswordError) return new BadRequestException(error.unmetRules);
  if (error instanceof UsernameTakenError || error instanceof LastAdminError)
    return new ConflictException(error.message);
  if (error instanceof InvalidCredentialsError) return new UnauthorizedException(error.message);
  if (error instanceof LoginThrottledError) return new TooManyAttemptsException(error);
  if (error instanceof UserNotFoundError) return new NotFoundException(error.message);
  return error;
}
