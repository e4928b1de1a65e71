import { SetMetadata } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import {
  FormFields,
  multipartBoundary,
  parseMultipart,
  parseUrlEncoded,
  RepeatedField,
} from '../../lib/http/form-fields';
import { FieldValidationException } from './field-errors';
import { malformed, readBodyText, unsupported } from './json-body';

export const FORM_BODY = 'http:form-body';

export interface FormBodyOptions {
  /** Largest accepted body in bytes, after decompression. */
  limitBytes: number;
}

/**
 * Marks a route whose body is a small HTML form (urlencoded or multipart), such as the RFC 8058
 * one-click unsubscribe POST, instead of JSON. The limit is tiny on purpose: these routes take no API
 * key, so nobody can make the server read more than a form's worth of bytes.
 */
export const FormBody = (options: FormBodyOptions = { limitBytes: 1024 }) => SetMetadata(FORM_BODY, options);

function isUrlEncoded(type: string): boolean {
  return type === 'application/x-www-form-urlencoded';
}

function checkFormType(req: IncomingMessage): void {
  const header = req.headers['content-type'] ?? '';
  const type = header.split(';')[0].trim().toLowerCase();
  if (isUrlEncoded(type) || (type === 'multipart/form-data' && multipartBoundary(header))) return;
  throw unsupported(
    `Content-Type must be application/x-www-form-urlencoded or multipart/form-data (got ${header ? JSON.stringify(header) : 'none'})`,
  );
}

/**
 * Reads a form body into its text fields (`{}` when there is no body); 415, 413 and 400 as for JSON, and
 * a 400 naming a field the form gives twice.
 */
export async function readFormBody(req: IncomingMessage, options: FormBodyOptions): Promise<FormFields> {
  const text = await readBodyText(req, { limit: options.limitBytes, checkType: checkFormType });
  if (text === undefined) return {};
  const header = req.headers['content-type'] ?? '';
  const fields = isUrlEncoded(header.split(';')[0].trim().toLowerCase())
    ? parseUrlEncoded(text)
    : parseMultipart(text, multipartBoundary(header) ?? '');
  if (!fields) throw malformed('not a multipart/form-data body of text fields');
  if (fields instanceof RepeatedField) {
    throw new FieldValidationException([{ field: fields.name, message: `${fields.name} must be given once` }]);
  }
  return fields;
}
