import { ErrorCode, ServerError, badValue } from '../errors';
import { isPlainObject, numericValue } from '../storage/bson-values';
import { Collection } from '../storage/collection';
import { CollectionIndex } from '../storage/collection-index';
import { Doc } from '../storage/documents';
import { CommandHandler, collectionName, existingCollection } from './context';

const IGNORED = new Set(['collMod', '$db', 'lsid', '$clusterTime', 'comment', '$readPreference', 'writeConcern']);

function findIndex(collection: Collection, spec: Doc): CollectionIndex {
  const found = [...collection.indexes.values()].find((index) =>
    typeof spec.name === 'string'
      ? index.spec.name === spec.name
      : JSON.stringify(index.spec.key) === JSON.stringify(spec.keyPattern),
  );
  if (!found) {
    throw new ServerError(
      ErrorCode.IndexNotFound,
      `cannot find index ${JSON.stringify(spec.name ?? spec.keyPattern)} for ns ${collection.ns}`,
    );
  }
  return found;
}

/** collMod: hides or unhides an index, or changes a TTL index's expireAfterSeconds. */
const collMod: CommandHandler = (cmd, ctx) => {
  const collection = existingCollection(ctx, collectionName(cmd, 'collMod'));
  const unsupported = Object.keys(cmd).filter((k) => !IGNORED.has(k) && k !== 'index');
  if (unsupported.length > 0) {
    throw new ServerError(
      ErrorCode.NotImplemented,
      `collMod options not supported by the embedded server: ${unsupported.join(', ')}`,
    );
  }
  if (cmd.index === undefined) return { ok: 1 };
  if (!isPlainObject(cmd.index)) throw badValue("BSON field 'collMod.index' must be an object");
  const index = findIndex(collection, cmd.index);
  const reply: Doc = {};
  const changes: { hidden?: boolean; expireAfterSeconds?: number } = {};
  if (cmd.index.hidden !== undefined) {
    if (typeof cmd.index.hidden !== 'boolean') throw badValue("BSON field 'collMod.index.hidden' must be a boolean");
    if (index.isIdIndex) throw badValue("can't hide _id index");
    reply.hidden_old = index.spec.hidden ?? false;
    reply.hidden_new = cmd.index.hidden;
    changes.hidden = cmd.index.hidden;
  }
  if (cmd.index.expireAfterSeconds !== undefined) {
    const seconds = Number(numericValue(cmd.index.expireAfterSeconds));
    if (!Number.isFinite(seconds) || seconds < 0) throw badValue('expireAfterSeconds must be a non-negative number');
    if (index.spec.expireAfterSeconds === undefined) throw badValue('no expireAfterSeconds field to update');
    reply.expireAfterSeconds_old = index.spec.expireAfterSeconds;
    reply.expireAfterSeconds_new = seconds;
    changes.expireAfterSeconds = seconds;
  }
  if (Object.keys(changes).length === 0) throw badValue('no index options specified to modify');
  ctx.store.modifyIndex(collection, index.spec.name, changes);
  return { ...reply, ok: 1 };
};

export const collModCommands: Record<string, CommandHandler> = { collMod };
