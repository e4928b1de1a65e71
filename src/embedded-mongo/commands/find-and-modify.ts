import { ErrorCode, ServerError } from '../errors';
import { Doc } from '../storage/documents';
import { projectOne, runFind } from '../storage/query-executor';
import { CommandHandler, collectionName, optionalDoc } from './context';
import { executeUpdate, parseUpdateStatement } from './update';

function project(doc: Doc | undefined, fields: Doc | undefined, query: Doc): Doc | null {
  return doc ? projectOne(doc, fields, query) : null;
}

/** findAndModify: the one-document atomic read-modify-write behind findOneAndUpdate/Replace/Delete. */
const findAndModify: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'findAndModify');
  const query = optionalDoc(cmd, 'query') ?? {};
  const sort = optionalDoc(cmd, 'sort');
  const fields = optionalDoc(cmd, 'fields');
  const collation = optionalDoc(cmd, 'collation');
  const remove = cmd.remove === true;
  const returnNew = cmd.new === true;
  const upsert = cmd.upsert === true;
  if (remove && cmd.update !== undefined) {
    throw new ServerError(ErrorCode.FailedToParse, 'Cannot specify both an update and remove=true');
  }
  if (!remove && cmd.update === undefined) {
    throw new ServerError(ErrorCode.FailedToParse, 'Either an update or remove=true must be specified');
  }
  if (remove && (returnNew || upsert)) {
    throw new ServerError(ErrorCode.FailedToParse, 'Cannot specify both new=true or upsert=true and remove=true');
  }

  const collection = upsert ? ctx.store.ensureCollection(ctx.db, name) : ctx.store.collection(ctx.db, name);
  const target = runFind(collection, { filter: query, sort, limit: 1, collation, hint: cmd.hint });

  if (remove) {
    if (collection && target[0]) ctx.store.remove(collection, target[0]);
    return { lastErrorObject: { n: target.length }, value: project(target[0], fields, query), ok: 1 };
  }
  const statement = parseUpdateStatement({
    q: query,
    u: cmd.update,
    upsert,
    multi: false,
    arrayFilters: cmd.arrayFilters,
    collation,
  });
  if (!collection) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const result = executeUpdate(ctx, collection, statement, target);
  const lastErrorObject: Doc = {
    n: result.matched > 0 || result.upserted ? 1 : 0,
    updatedExisting: result.matched > 0,
  };
  if (result.upserted) lastErrorObject.upserted = result.upserted._id;
  const value = returnNew ? result.after : target[0];
  return { lastErrorObject, value: project(value, fields, query), ok: 1 };
};

export const findAndModifyCommands: Record<string, CommandHandler> = { findAndModify };
