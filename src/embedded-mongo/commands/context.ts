import { CursorRegistry } from '../cursors';
import { ErrorCode, ServerError, badValue } from '../errors';
import { ServerState } from '../server-state';
import { Collection } from '../storage/collection';
import { Doc } from '../storage/documents';
import { isPlainObject } from '../storage/key-encoding';
import { Store } from '../storage/store';

/** What a command handler may use: the data, the cursors, and facts about the request. */
export interface CommandContext {
  store: Store;
  cursors: CursorRegistry;
  server: ServerState;
  db: string;
  connectionId: number;
  /** Size in bytes of the largest BSON document in the request. */
  largestDocument: number;
}

/**
 * Writes run synchronously, so each write command is atomic with respect to every other
 * connection; long reads (find, count, distinct, aggregate) return a promise and pause between
 * slices, letting other connections in while they run.
 */
export type CommandHandler = (cmd: Doc, ctx: CommandContext) => Doc | Promise<Doc>;

/** The collection name carried as the command's first value. */
export function collectionName(cmd: Doc, command: string): string {
  const name = cmd[command];
  if (typeof name !== 'string' || name.length === 0 || name.includes('\u0000') || name.startsWith('$')) {
    throw new ServerError(ErrorCode.InvalidNamespace, `Invalid namespace specified for ${command}: ${String(name)}`);
  }
  return name;
}

/** The named collection, or 26 NamespaceNotFound. */
export function existingCollection(ctx: CommandContext, name: string): Collection {
  const collection = ctx.store.collection(ctx.db, name);
  if (!collection) throw new ServerError(ErrorCode.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  return collection;
}

/** An optional sub-document field; anything else is 14 TypeMismatch. */
export function optionalDoc(cmd: Doc, field: string): Doc | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) {
    const type = Array.isArray(value) ? 'array' : value instanceof Date ? 'date' : typeof value;
    throw new ServerError(
      ErrorCode.TypeMismatch,
      `BSON field '${field}' is the wrong type '${type}', expected type 'object'`,
    );
  }
  return value;
}

/** An optional numeric field (int, long or double); anything else is 14 TypeMismatch. */
export function optionalNumber(cmd: Doc, field: string): number | undefined {
  const value = cmd[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'bigint' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) {
    throw new ServerError(ErrorCode.TypeMismatch, `BSON field '${field}' is the wrong type, expected a number`);
  }
  return n;
}

/** A required array of documents, such as `documents`, `updates` or `indexes`. */
export function docArray(cmd: Doc, field: string): Doc[] {
  const value = cmd[field];
  if (!Array.isArray(value) || !value.every(isPlainObject)) {
    throw badValue(`BSON field '${field}' must be an array of documents`);
  }
  return value;
}
