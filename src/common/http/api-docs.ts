import { OpenAPIObject } from '@nestjs/swagger';

const UNSUPPORTED_MEDIA_TYPE = {
  description: 'The body is not JSON in UTF-8 (or, on form routes, not a form): the message says what to send',
};

/**
 * Responses every route of a kind gives, documented once: the body reader runs on every route, so
 * each operation that takes a body may answer 415. (Keyed routes' 503 comes with the `Auth` decorator.)
 */
export function withSharedResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.post, item.put, item.patch, item.delete]) {
      if (!operation?.requestBody) continue;
      operation.responses['415'] ??= UNSUPPORTED_MEDIA_TYPE;
    }
  }
  return document;
}
