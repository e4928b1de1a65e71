import { SetMetadata, UseGuards, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiKeyGuard, REQUIRED_SCOPE } from './api-key.guard';
import { Scope } from './domain/api-key';

/** Requires an API key with `scope` (admin keys pass every scope) and applies the key's rate limit; documents the answers that gives. */
export function Auth(scope: Scope) {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    UseGuards(ApiKeyGuard),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'Missing, unknown, revoked or expired API key, or several Authorization headers',
    }),
    ApiForbiddenResponse({ description: `The key lacks the ${scope} scope` }),
    ApiTooManyRequestsResponse({ description: 'Rate limit exceeded; see Retry-After' }),
    ApiServiceUnavailableResponse({
      description: 'The rate-limit store (Redis) is unreachable and RATE_LIMIT_FAILURE_MODE is closed; see Retry-After',
    }),
  );
}
