import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lib/text/canonical-json';
import { FieldConflictException, FieldValidationException } from '../../common/http/field-errors';
import { AuthenticatedRequest } from './api-key.guard';
import { IdempotencyKeyRepository } from './idempotency-key.repository';

const HEADER = 'idempotency-key';
/** How the header is named in a 400 or 409, as other errors name their field. */
const FIELD = 'Idempotency-Key';
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/**
 * The Idempotency-Key request header of the routes that start work: the first request with a key decides the
 * id of what it starts, and every retry with the same key and body (concurrent ones too) gets that id again.
 */
@Injectable()
export class IdempotencyKeysService {
  constructor(private readonly keys: IdempotencyKeyRepository) {}

  /**
   * The id the request's work goes by: `proposed` for a request without the header or the first with its key,
   * the first request's id for a retry; a 409 for a key first sent with another body, in the shape of the API's other 409s.
   */
  async resourceIdFor(request: AuthenticatedRequest, route: string, body: object, proposed: string): Promise<string> {
    const key = keyOf(request);
    if (key === undefined) return proposed;
    const bodyDigest = digestOf(body);
    const first = await this.keys.claim({
      route,
      apiKeyId: request.apiKey?.keyId ?? '',
      key,
      bodyDigest,
      resourceId: proposed,
      createdAt: new Date(),
    });
    if (first.bodyDigest !== bodyDigest) {
      throw new FieldConflictException([
        { field: FIELD, message: 'was first sent with another request body: send that body again, or use a new key' },
      ]);
    }
    return first.resourceId;
  }
}

function keyOf(request: AuthenticatedRequest): string | undefined {
  const given = request.rawHeaders.filter((_, i) => i % 2 === 0 && request.rawHeaders[i].toLowerCase() === HEADER);
  if (given.length === 0) return undefined;
  const value = request.headers[HEADER];
  if (given.length > 1 || typeof value !== 'string' || !KEY_FORMAT.test(value)) {
    throw new FieldValidationException([
      { field: FIELD, message: 'must be given once, as 1 to 255 visible ASCII characters' },
    ]);
  }
  return value;
}

/** The body as its fields' values say it, whatever their order. */
function digestOf(body: object): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
