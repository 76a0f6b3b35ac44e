import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/**
 * The id of the current request: the caller's `x-request-id`, or the one pino-http made up.
 * Passed to the query service so both services log one request under one id.
 */
export const RequestId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => {
    const request = context.switchToHttp().getRequest<{ id?: string | number }>();
    return request.id === undefined ? undefined : String(request.id);
  },
);
