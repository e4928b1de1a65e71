import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiConflictResponse } from '@nestjs/swagger';

/** Documents the optional Idempotency-Key header of a route that starts work, and its 409. */
export function TakesIdempotencyKey() {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Sent again with the same body within 24 hours, the request answers with what the first one started',
    }),
    ApiConflictResponse({ description: 'The Idempotency-Key was first sent with another body' }),
  );
}
