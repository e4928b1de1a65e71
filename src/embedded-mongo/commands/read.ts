import { calculateObjectSize, Long } from 'bson';
import { badValue, ErrorCode, ServerError } from '../errors';
import { parseCollation } from '../storage/collation';
import { valuesAtPath } from '../storage/documents';
import { encodeValue } from '../storage/key-encoding';
import { distinctFields, matchFields } from '../storage/needed-fields';
import { FindOptions, runFindYielding } from '../storage/query-executor';
import { whenReady } from '../storage/steps';
import { MAX_BSON_OBJECT_SIZE } from '../wire/frame-decoder';
import { CommandContext, CommandHandler, collectionName, optionalDoc, optionalNumber } from './context';

function findOptions(cmd: Record<string, unknown>, filterField: string): FindOptions {
  return {
    filter: optionalDoc(cmd, filterField),
    collation: optionalDoc(cmd, 'collation'),
    hint: cmd.hint,
  };
}

const find: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'find');
  const limit = optionalNumber(cmd, 'limit');
  const skip = optionalNumber(cmd, 'skip');
  if ((skip ?? 0) < 0) throw badValue('skip value must be non-negative');
  const batchSize = optionalNumber(cmd, 'batchSize');
  if ((batchSize ?? 0) < 0) throw badValue('batchSize value must be non-negative');
  const docs = runFindYielding(ctx.store.collection(ctx.db, name), {
    ...findOptions(cmd, 'filter'),
    sort: optionalDoc(cmd, 'sort'),
    projection: optionalDoc(cmd, 'projection'),
    skip,
    limit,
    forReply: true,
  });
  const singleBatch = cmd.singleBatch === true || (limit ?? 0) < 0;
  return whenReady(docs, (found) => ctx.cursors.open(`${ctx.db}.${name}`, found, batchSize, singleBatch));
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
  const options = findOptions(cmd, 'query');
  const skip = optionalNumber(cmd, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(cmd, 'limit') ?? 0);
  const filtered = (options.filter && Object.keys(options.filter).length > 0) || options.hint || options.collation;
  const reply = (total: number) => {
    const n = Math.max(0, total - skip);
    return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
  };
  if (!filtered) return reply(collection?.docs.size ?? 0);
  // Only what the query reads is decoded.
  return whenReady(
    runFindYielding(collection, { ...options, decode: matchFields(options.filter, undefined) }),
    (docs) => reply(docs.length),
  );
};

const distinct: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'distinct');
  if (typeof cmd.key !== 'string') throw badValue("BSON field 'distinct.key' is missing or not a string");
  const key = cmd.key;
  const options = findOptions(cmd, 'query');
  const strings = parseCollation(options.collation)?.key;
  // Only the key's top-level field and what the query reads are decoded, not whole documents.
  const decode = distinctFields(options.filter, key);
  return whenReady(runFindYielding(ctx.store.collection(ctx.db, name), { ...options, decode }), (docs) => {
    const seen = new Map<string, unknown>();
    for (const doc of docs) {
      for (const value of valuesAtPath(doc, key)) {
        if (value === undefined) continue;
        const k = encodeValue(value, strings);
        if (!seen.has(k)) seen.set(k, value);
      }
    }
    const values = [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    // The reply is one document, so its values fit in one as on MongoDB; more takes an aggregation's cursor.
    if (calculateObjectSize({ values }) > MAX_BSON_OBJECT_SIZE) {
      throw new ServerError(ErrorCode.DistinctTooBig, 'distinct too big, 16mb cap');
    }
    return { values, ok: 1 };
  });
};

export const readCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct };
