import { Long, calculateObjectSize } from 'bson';
import { ErrorCode, ServerError } from './errors';
import { RawDocument } from './storage/document-map';
import { Doc } from './storage/documents';
import { MAX_BSON_OBJECT_SIZE } from './wire/frame-decoder';

const DEFAULT_FIRST_BATCH = 101;
/** Room left in a 16 MiB reply for the envelope around the batch. */
const BATCH_BYTES = MAX_BSON_OBJECT_SIZE - 64 * 1024;

interface OpenCursor {
  ns: string;
  docs: Doc[];
  position: number;
  lastUsed: number;
}

/** Server-side cursors: results beyond the first batch wait here for getMore. */
export class CursorRegistry {
  private readonly cursors = new Map<number, OpenCursor>();
  private nextId = 1;

  private static take(cursor: OpenCursor, batchSize: number | undefined): Doc[] {
    const limit = batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER;
    const batch: Doc[] = [];
    let bytes = 0;
    while (cursor.position < cursor.docs.length && batch.length < limit) {
      const doc = cursor.docs[cursor.position];
      bytes += doc instanceof RawDocument ? doc.bytes.length : calculateObjectSize(doc);
      if (batch.length > 0 && bytes > BATCH_BYTES) break;
      batch.push(doc);
      cursor.position++;
    }
    return batch;
  }

  /** The `cursor` reply for a new result set; keeps a server cursor only when documents remain. */
  open(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    const cursor: OpenCursor = { ns, docs, position: 0, lastUsed: Date.now() };
    const firstBatch = CursorRegistry.take(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0;
    if (!singleBatch && cursor.position < docs.length) {
      id = this.nextId++;
      this.cursors.set(id, cursor);
    }
    return { cursor: { firstBatch, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): Doc {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new ServerError(ErrorCode.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new ServerError(
        ErrorCode.BadValue,
        `Requested getMore on namespace '${ns}', but cursor belongs to '${cursor.ns}'`,
      );
    }
    cursor.lastUsed = Date.now();
    const nextBatch = CursorRegistry.take(cursor, batchSize);
    const done = cursor.position >= cursor.docs.length;
    if (done) this.cursors.delete(id);
    return { cursor: { nextBatch, id: Long.fromNumber(done ? 0 : id), ns }, ok: 1 };
  }

  kill(ids: number[]): { killed: number[]; notFound: number[] } {
    const killed: number[] = [];
    const notFound: number[] = [];
    for (const id of ids) (this.cursors.delete(id) ? killed : notFound).push(id);
    return { killed, notFound };
  }

  /** Drops cursors idle longer than `timeoutMs` (the cursorTimeoutMillis parameter, 10 minutes by default). */
  expireIdle(now: number, timeoutMs: number): void {
    for (const [id, cursor] of this.cursors) if (now - cursor.lastUsed > timeoutMs) this.cursors.delete(id);
  }

  get openCount(): number {
    return this.cursors.size;
  }
}
