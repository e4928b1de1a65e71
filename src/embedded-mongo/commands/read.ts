import { Long } from 'bson';
import { badValue } from '../errors';
import { runFind } from '../storage/query-executor';
import { valuesAtPath } from '../storage/documents';
import { encodeValue } from '../storage/key-encoding';
import { CommandContext, CommandHandler, collectionName, optionalDoc, optionalNumber } from './context';

const find: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'find');
  const limit = optionalNumber(cmd, 'limit');
  const skip = optionalNumber(cmd, 'skip');
  if ((skip ?? 0) < 0) throw badValue('skip value must be non-negative');
  const batchSize = optionalNumber(cmd, 'batchSize');
  if ((batchSize ?? 0) < 0) throw badValue('batchSize value must be non-negative');
  const docs = runFind(ctx.store.collection(ctx.db, name), {
    filter: optionalDoc(cmd, 'filter'),
    sort: optionalDoc(cmd, 'sort'),
    projection: optionalDoc(cmd, 'projection'),
    collation: optionalDoc(cmd, 'collation'),
    hint: cmd.hint,
    skip,
    limit,
  });
  const singleBatch = cmd.singleBatch === true || (limit ?? 0) < 0;
  return ctx.cursors.open(`${ctx.db}.${name}`, docs, batchSize, singleBatch);
};

function cursorId(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Long) return value.toNumber();
  if (typeof value === 'bigint') return Number(value);
  throw badValue('cursor id must be a 64-bit integer');
}

const getMore: CommandHandler = (cmd, ctx) => {
  const id = cursorId(cmd.getMore);
  const collection = typeof cmd.collection === 'string' ? cmd.collection : '';
  return ctx.cursors.getMore(id, `${ctx.db}.${collection}`, optionalNumber(cmd, 'batchSize'));
};

const killCursors: CommandHandler = (cmd, ctx) => {
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors.map(cursorId) : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return {
    cursorsKilled: killed.map((id) => Long.fromNumber(id)),
    cursorsNotFound: notFound.map((id) => Long.fromNumber(id)),
    cursorsAlive: [],
    cursorsUnknown: [],
    ok: 1,
  };
};

const count: CommandHandler = (cmd, ctx: CommandContext) => {
  const name = collectionName(cmd, 'count');
  const collection = ctx.store.collection(ctx.db, name);
  const query = optionalDoc(cmd, 'query');
  const skip = optionalNumber(cmd, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(cmd, 'limit') ?? 0);
  let n = !collection
    ? 0
    : query && Object.keys(query).length > 0
      ? runFind(collection, { filter: query }).length
      : collection.docs.size;
  n = Math.max(0, n - skip);
  return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
};

const distinct: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'distinct');
  if (typeof cmd.key !== 'string') throw badValue("BSON field 'distinct.key' is missing or not a string");
  const docs = runFind(ctx.store.collection(ctx.db, name), {
    filter: optionalDoc(cmd, 'query'),
    collation: optionalDoc(cmd, 'collation'),
  });
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    for (const value of valuesAtPath(doc, cmd.key)) {
      if (value === undefined) continue;
      const key = encodeValue(value);
      if (!seen.has(key)) seen.set(key, value);
    }
  }
  const values = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { values, ok: 1 };
};

export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct };
