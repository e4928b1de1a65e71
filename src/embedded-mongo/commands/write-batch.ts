import { calculateObjectSize } from 'bson';
import { ErrorCode, ServerError, toServerError } from '../errors';
import { encodeDocument } from '../storage/document-map';
import { Doc } from '../storage/documents';
import { MAX_BSON_OBJECT_SIZE } from '../wire/frame-decoder';
import { CommandContext, docArray } from './context';

export const MAX_WRITE_BATCH_SIZE = 100_000;

/** The statements of a write command, validated against the batch-size limit. */
export function statements(cmd: Doc, field: string): Doc[] {
  const items = docArray(cmd, field);
  if (items.length === 0 || items.length > MAX_WRITE_BATCH_SIZE) {
    throw new ServerError(
      ErrorCode.InvalidLength,
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${items.length} operations.`,
    );
  }
  return items;
}

/**
 * Runs each statement; a failure becomes a `writeErrors` entry. Ordered batches stop at the first
 * failure, unordered ones carry on, exactly as MongoDB reports partial bulk writes.
 */
export function runStatements<T>(items: T[], ordered: boolean, run: (item: T, index: number) => void): Doc[] {
  const writeErrors: Doc[] = [];
  for (let index = 0; index < items.length; index++) {
    try {
      run(items[index], index);
    } catch (error) {
      const { code, errmsg, codeName, ...extra } = toServerError(error).toDocument();
      writeErrors.push({ index, code, codeName, errmsg, ...extra });
      if (ordered) break;
    }
  }
  return writeErrors;
}

/**
 * Rejects documents over 16 MiB and returns the size measured; an insert is only measured when the
 * request carried such a large document (and the request's largest document bounds it).
 */
export function checkDocumentSize(ctx: CommandContext, doc: Doc, what: string): number {
  if (ctx.largestDocument <= MAX_BSON_OBJECT_SIZE && what === 'insert') return ctx.largestDocument;
  const size = calculateObjectSize(doc);
  if (size > MAX_BSON_OBJECT_SIZE) {
    throw new ServerError(
      ErrorCode.BSONObjectTooLarge,
      what === 'insert'
        ? `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`
        : `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`,
    );
  }
  return size;
}

/**
 * The BSON bytes of an update's result (or an upserted document), which the store keeps as they are:
 * the encoding measures the document, so no separate walk does. Over 16 MiB it is refused with 10334.
 */
export function encodeUpdated(ctx: CommandContext, doc: Doc): Buffer {
  let bytes: Buffer;
  try {
    bytes = encodeDocument(doc);
  } catch (error) {
    checkDocumentSize(ctx, doc, 'update'); // the encoder's own limit is a little above 16 MiB
    throw error;
  }
  if (bytes.length > MAX_BSON_OBJECT_SIZE) checkDocumentSize(ctx, doc, 'update');
  return bytes;
}

/** The reply of a write command: counts, plus `writeErrors` only when a statement failed. */
export function writeReply(fields: Doc, writeErrors: Doc[]): Doc {
  return writeErrors.length > 0 ? { ...fields, writeErrors, ok: 1 } : { ...fields, ok: 1 };
}
