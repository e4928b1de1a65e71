import { ErrorCode, ServerError } from '../errors';
import { Doc, withIdFirst } from '../storage/documents';
import { isPlainObject } from '../storage/key-encoding';
import { matchFields, withIndexedFields } from '../storage/needed-fields';
import { runFind } from '../storage/query-executor';
import { CommandHandler, collectionName, optionalDoc } from './context';
import { checkDocumentSize, runStatements, statements, writeReply } from './write-batch';

function validateForInsert(doc: Doc): Doc {
  if (Array.isArray(doc._id)) throw new ServerError(ErrorCode.BadValue, "can't use an array for _id");
  if (isPlainObject(doc._id) && Object.keys(doc._id).some((k) => k.startsWith('$'))) {
    throw new ServerError(ErrorCode.BadValue, "_id fields may not contain '$'-prefixed fields");
  }
  return withIdFirst(doc);
}

const insert: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'insert');
  const docs = statements(cmd, 'documents');
  const collection = ctx.store.ensureCollection(ctx.db, name);
  let n = 0;
  const writeErrors = runStatements(docs, cmd.ordered !== false, (doc) => {
    checkDocumentSize(ctx, doc, 'insert');
    ctx.store.insert(collection, validateForInsert(doc));
    n++;
  });
  return writeReply({ n }, writeErrors);
};

const deleteCommand: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'delete');
  const deletes = statements(cmd, 'deletes');
  const collection = ctx.store.collection(ctx.db, name);
  let n = 0;
  const writeErrors = runStatements(deletes, cmd.ordered !== false, (statement) => {
    if (!isPlainObject(statement.q)) {
      throw new ServerError(ErrorCode.BadValue, "BSON field 'delete.deletes.q' is missing");
    }
    const limit = Number(statement.limit ?? 0);
    if (limit !== 0 && limit !== 1) {
      throw new ServerError(ErrorCode.BadValue, 'The limit field in delete objects must be 0 or 1');
    }
    const read = matchFields(statement.q, undefined);
    const options = {
      filter: statement.q,
      limit,
      collation: optionalDoc(statement, 'collation'),
      hint: statement.hint,
      // Only what the filter and the indexes read is decoded: removing a document takes its index keys.
      decode: read && collection && withIndexedFields(collection, read),
    };
    for (const doc of runFind(collection, options)) {
      ctx.store.remove(collection!, doc);
      n++;
    }
  });
  return writeReply({ n }, writeErrors);
};

export const insertDeleteCommands: Record<string, CommandHandler> = { insert, delete: deleteCommand };
