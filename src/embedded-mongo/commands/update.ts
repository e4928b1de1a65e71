import { ErrorCode, ServerError } from '../errors';
import { parseCollation } from '../storage/collation';
import { Collection } from '../storage/collection';
import { fieldNames, mergeUpdated } from '../storage/document-map';
import { Doc, idKeyOf } from '../storage/documents';
import { UpdateFields, updateFields, withIndexedFields } from '../storage/needed-fields';
import { MAX_BSON_OBJECT_SIZE } from '../wire/frame-decoder';
import { isPlainObject } from '../storage/key-encoding';
import { runFind } from '../storage/query-executor';
import { UpdateSpec, applyUpdate, isOperatorUpdate } from '../storage/update/apply-update';
import { buildUpsert } from '../storage/update/upsert';
import { CommandContext, CommandHandler, collectionName, optionalDoc } from './context';
import { encodeUpdated, runStatements, statements, writeReply } from './write-batch';

export interface UpdateStatement {
  q: Doc;
  u: UpdateSpec;
  upsert: boolean;
  multi: boolean;
  arrayFilters?: Doc[];
  collation?: Doc;
  hint?: unknown;
}

/** Validates one `updates[]` entry (also used by findAndModify for its update half). */
export function parseUpdateStatement(raw: Doc): UpdateStatement {
  const { q, u } = raw;
  if (!isPlainObject(q)) {
    throw new ServerError(ErrorCode.BadValue, "BSON field 'update.updates.q' is missing or not an object");
  }
  if (!isPlainObject(u) && !(Array.isArray(u) && u.every(isPlainObject))) {
    throw new ServerError(ErrorCode.FailedToParse, 'Update argument must be either an object or an array');
  }
  const multi = raw.multi === true;
  if (multi && isPlainObject(u) && !isOperatorUpdate(u) && Object.keys(u).length > 0) {
    throw new ServerError(ErrorCode.FailedToParse, 'multi update is not supported for replacement-style update');
  }
  if (raw.arrayFilters !== undefined && !(Array.isArray(raw.arrayFilters) && raw.arrayFilters.every(isPlainObject))) {
    throw new ServerError(ErrorCode.TypeMismatch, "BSON field 'arrayFilters' must be an array of objects");
  }
  return {
    q,
    u: u as UpdateSpec,
    upsert: raw.upsert === true,
    multi,
    arrayFilters: raw.arrayFilters as Doc[] | undefined,
    collation: optionalDoc(raw, 'collation'),
    hint: raw.hint,
  };
}

/** Applies one statement; returns matched, modified and the upserted `_id` when it inserted. */
export function executeUpdate(ctx: CommandContext, collection: Collection, s: UpdateStatement, target?: Doc[]) {
  const collation = parseCollation(s.collation);
  const docs =
    target ?? runFind(collection, { filter: s.q, limit: s.multi ? 0 : 1, collation: s.collation, hint: s.hint });
  const options = { arrayFilters: s.arrayFilters, query: s.q, collation };
  if (docs.length === 0 && s.upsert) {
    const doc = buildUpsert(s.q, s.u, options);
    ctx.store.insert(collection, doc, encodeUpdated(ctx, doc));
    return { matched: 0, modified: 0, upserted: doc, after: doc };
  }
  let modified = 0;
  let after: Doc | undefined;
  for (const doc of docs) {
    const outcome = applyUpdate(doc, s.u, options);
    after = outcome.doc;
    if (!outcome.modified) {
      after = doc;
      continue;
    }
    ctx.store.replace(collection, doc, outcome.doc, encodeUpdated(ctx, outcome.doc));
    modified++;
  }
  return { matched: docs.length, modified, upserted: undefined, after };
}

/** The fields an update of this collection must decode and may write, or undefined to decode whole documents. */
function fieldsToDecode(collection: Collection, s: UpdateStatement): UpdateFields | undefined {
  const fields = updateFields(s.q, s.u);
  const decode = fields && withIndexedFields(collection, fields.decode, fields.changed);
  return decode && { ...fields, decode };
}

/**
 * {@link executeUpdate} for a statement that reads and changes only some top-level fields of the documents it
 * matches: only those are decoded and encoded, the others are copied as stored. Undefined when nothing
 * matched and the statement upserts (the caller inserts).
 */
function updateFieldsInPlace(ctx: CommandContext, collection: Collection, s: UpdateStatement, fields: UpdateFields) {
  const docs = runFind(collection, {
    filter: s.q,
    limit: s.multi ? 0 : 1,
    collation: s.collation,
    hint: s.hint,
    decode: fields.decode,
  });
  if (docs.length === 0 && s.upsert) return undefined;
  const options = { arrayFilters: s.arrayFilters, query: s.q, collation: parseCollation(s.collation) };
  const touched = fieldNames([...fields.decode, ...fields.written]).decode;
  let modified = 0;
  for (const doc of docs) {
    // Read before the document is written (below), as storedBytes requires.
    const stored = collection.docs.storedBytes(idKeyOf(doc._id))!;
    const next = applyUpdate(doc, s.u, options).doc;
    const bytes = mergeUpdated(stored, next, touched);
    // Byte for byte the stored document: nothing changed (as MongoDB, no write and not counted as modified).
    if (bytes.equals(stored)) continue;
    if (bytes.length > MAX_BSON_OBJECT_SIZE) {
      throw new ServerError(
        ErrorCode.BSONObjectTooLarge,
        `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`,
      );
    }
    ctx.store.replace(collection, doc, next, bytes);
    modified++;
  }
  return { matched: docs.length, modified, upserted: undefined };
}

const update: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'update');
  const updates = statements(cmd, 'updates');
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors = runStatements(updates, cmd.ordered !== false, (raw, index) => {
    const s = parseUpdateStatement(raw);
    const collection = s.upsert ? ctx.store.ensureCollection(ctx.db, name) : ctx.store.collection(ctx.db, name);
    if (!collection) {
      // Nothing to update, but a malformed filter or update still fails as it would on MongoDB.
      runFind(undefined, { filter: s.q, collation: s.collation });
      return;
    }
    const fields = fieldsToDecode(collection, s);
    const result = (fields && updateFieldsInPlace(ctx, collection, s, fields)) ?? executeUpdate(ctx, collection, s);
    n += result.matched + (result.upserted ? 1 : 0);
    nModified += result.modified;
    if (result.upserted) upserted.push({ index, _id: result.upserted._id });
  });
  return writeReply(upserted.length > 0 ? { n, nModified, upserted } : { n, nModified }, writeErrors);
};

export const updateCommands: Record<string, CommandHandler> = { update };
