import { OpenAPIObject } from '@nestjs/swagger';

const UNSUPPORTED_MEDIA_TYPE = {
  description: 'The body is not JSON in UTF-8 (or, on form routes, not a form): the message says what to send',
};

const UNDECLARED_QUERY = 'A query parameter the route does not take, or one given twice: the message names it';

/**
 * Responses every route of a kind gives, documented once: the body reader runs on every route, so
 * each operation that takes a body may answer 415; every /v1 route refuses a query parameter it does not
 * declare (DeclaredQueryInterceptor) with a 400, beside any 400 of its own. (Keyed routes' 503 comes with the
 * `Auth` decorator.)
 */
export function withSharedResponses(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!operation) continue;
      if (operation.requestBody) operation.responses['415'] ??= UNSUPPORTED_MEDIA_TYPE;
      if (!path.startsWith('/v1/')) continue;
      const own = operation.responses['400'] as { description?: string } | undefined;
      operation.responses['400'] = {
        ...own,
        description: own?.description ? `${own.description}; or: ${UNDECLARED_QUERY.toLowerCase()}` : UNDECLARED_QUERY,
      };
    }
  }
  return document;
}
