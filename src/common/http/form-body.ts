import {
  BadRequestException,
  PayloadTooLargeException,
  SetMetadata,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

/** Metadata of handlers whose body is an HTML form rather than JSON. */
export const FORM_BODY = 'http:form-body';

/** HTML forms of the web console carry a few short fields; anything larger is not one of ours. */
export const FORM_LIMIT_BYTES = 16 * 1024;

/** Marks a handler that reads an `application/x-www-form-urlencoded` body (JsonBodyInterceptor reads it so). */
export const FormBody = () => SetMetadata(FORM_BODY, true);

/**
 * Reads a urlencoded form into a null-prototype record of strings (the last value of a repeated name
 * wins): 415 for another media type, 413 above 16 KiB. A request without a body gives an empty record.
 */
export async function readFormBody(req: IncomingMessage): Promise<Record<string, string>> {
  const fields = Object.create(null) as Record<string, string>;
  const length = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (length === undefined || Number(length) === 0)) return fields;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    throw new UnsupportedMediaTypeException('Content-Type must be application/x-www-form-urlencoded');
  }
  const text = await getRawBody(req, { length, limit: FORM_LIMIT_BYTES, encoding: 'utf-8' }).catch((error: Error) => {
    req.resume();
    const tooLarge = (error as { type?: string }).type === 'entity.too.large';
    throw tooLarge
      ? new PayloadTooLargeException(`Form body exceeds ${FORM_LIMIT_BYTES / 1024} KiB`)
      : new BadRequestException(`Malformed form body: ${error.message}`);
  });
  for (const [name, value] of new URLSearchParams(text)) fields[name] = value;
  return fields;
}
