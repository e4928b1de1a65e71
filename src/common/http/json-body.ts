import {
  BadRequestException,
  HttpException,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import getRawBody from 'raw-body';
import { findUnsafeShape } from '../../lib/validation/json-shape';
import { FieldValidationException } from './field-errors';

/** Largest accepted request body, after decompression (a batch of 1000 events fits comfortably). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const JSON_MEDIA_TYPE = /^application\/(?:json|[a-z0-9.!#$&^_-]+\+json)$/;
const DECOMPRESSORS: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** Whether the request carries a body at all (an empty one counts as none). */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && Number(length) !== 0;
}

export function unsupported(message: string): UnsupportedMediaTypeException {
  return new UnsupportedMediaTypeException({ statusCode: 415, error: 'Unsupported Media Type', message });
}

/** A JSON media type in UTF-8, or the 415 that says what to send instead. */
function checkContentType(req: IncomingMessage): void {
  const header = req.headers['content-type'];
  const [type, ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (!JSON_MEDIA_TYPE.test(type)) {
    throw unsupported(`Content-Type must be application/json (got ${header ? JSON.stringify(header) : 'none'})`);
  }
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw unsupported(`JSON bodies must be UTF-8 (got charset ${charset})`);
  }
}

function decoded(req: IncomingMessage): { stream: Readable | NodeJS.ReadWriteStream; identity: boolean } {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return { stream: req, identity: true };
  const decompressor = DECOMPRESSORS[encoding];
  if (!decompressor) throw unsupported(`Content-Encoding ${encoding} is not supported (use gzip, deflate or br)`);
  return { stream: req.pipe(decompressor()), identity: false };
}

/** `1 MiB`, `1 KiB`, or bytes. */
function sizeLabel(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

function readError(error: { status?: number; type?: string; message: string }, limit: number): HttpException {
  if (error.type === 'entity.too.large') {
    return new PayloadTooLargeException({
      statusCode: 413,
      error: 'Payload Too Large',
      message: `Request body exceeds ${sizeLabel(limit)}`,
    });
  }
  return malformed(error.message);
}

export function malformed(reason: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `Malformed request body: ${reason}`,
  });
}

/** The bytes as UTF-8 text, or the 400 naming the body: a lenient decoder would store U+FFFD for each bad byte. */
function utf8Text(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FieldValidationException([{ field: '', message: 'The request body is not valid UTF-8' }]);
  }
}

/**
 * Reads a request body as UTF-8 text after `checkType` accepted its media type: undefined when there is
 * none, 413 above `limit` bytes (after decompression), 415 for an unknown Content-Encoding, 400 for bytes
 * that are not UTF-8. Whatever is refused is drained and discarded, so the client reads the answer on a
 * healthy connection.
 */
export async function readBodyText(
  req: IncomingMessage,
  options: { limit: number; checkType: (req: IncomingMessage) => void },
): Promise<string | undefined> {
  if (!hasBody(req)) return undefined;
  try {
    options.checkType(req);
    const { stream, identity } = decoded(req);
    const length = identity ? req.headers['content-length'] : undefined;
    const bytes = await getRawBody(stream, { length, limit: options.limit }).catch((error: Error) => {
      throw readError(error, options.limit);
    });
    return utf8Text(bytes);
  } catch (error) {
    req.unpipe();
    req.resume();
    throw error;
  }
}

/**
 * Reads and parses a JSON request body: undefined when there is none; 415 for any other media type,
 * 413 above 1 MiB, 400 for malformed JSON or a forbidden shape (prototype keys, hostile nesting).
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBodyText(req, { limit: BODY_LIMIT_BYTES, checkType: checkContentType });
  if (text === undefined || text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw malformed((error as Error).message);
  }
  const problem = findUnsafeShape(body);
  if (problem) throw new FieldValidationException([problem]);
  return body;
}
