import { ErrorCode, ServerError, badValue } from '../errors';
import { numericValue } from '../storage/bson-values';
import { parseCollation } from '../storage/collation';
import { IndexSpec } from '../storage/collection-index';
import { Collection } from '../storage/collection';
import { Doc } from '../storage/documents';
import { isPlainObject } from '../storage/key-encoding';
import { CommandHandler, collectionName, docArray, existingCollection } from './context';

const ALLOWED_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'hidden',
  'collation',
  'v',
  'ns',
]);

/** Index types MongoDB has and this server does not build (geo, text, hashed, wildcard). */
function notSupported(field: string, type: unknown): ServerError {
  return new ServerError(
    ErrorCode.CannotCreateIndex,
    `Index type ${JSON.stringify(type)} on field '${field}' is not supported by the embedded MongoDB-compatible server; ` +
      'supported are ascending (1) and descending (-1) keys',
  );
}

function parseSpec(raw: Doc): IndexSpec {
  if (!isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw badValue('index key pattern must be a non-empty object');
  }
  const key: Record<string, 1 | -1> = {};
  for (const [field, declared] of Object.entries(raw.key)) {
    const direction = typeof declared === 'string' ? declared : Number(numericValue(declared));
    if (direction !== 1 && direction !== -1) throw notSupported(field, declared);
    key[field] = direction;
  }
  const unsupported = Object.keys(raw).filter((option) => !ALLOWED_OPTIONS.has(option));
  if (unsupported.length > 0) {
    throw new ServerError(
      ErrorCode.CannotCreateIndex,
      `index options not supported by the embedded server: ${unsupported.join(', ')}`,
    );
  }
  const name =
    typeof raw.name === 'string'
      ? raw.name
      : Object.entries(key)
          .map(([f, d]) => `${f}_${d}`)
          .join('_');
  const spec: IndexSpec = { name, key };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (isPlainObject(raw.partialFilterExpression)) spec.partialFilterExpression = raw.partialFilterExpression;
  if (raw.hidden === true) {
    if (name === '_id_') throw badValue("can't hide _id index");
    spec.hidden = true;
  }
  const collation = parseCollation(raw.collation);
  if (collation) spec.collation = collation.spec;
  if (raw.expireAfterSeconds !== undefined) {
    const seconds = numericValue(raw.expireAfterSeconds);
    if (seconds === null || Number(seconds) < 0) {
      throw badValue('expireAfterSeconds must be a non-negative number');
    }
    if (Object.keys(key).length !== 1) {
      throw new ServerError(
        ErrorCode.CannotCreateIndex,
        'TTL indexes are single-field indexes, compound indexes do not support TTL',
      );
    }
    spec.expireAfterSeconds = Number(seconds);
  }
  return spec;
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  const { name: _a, ...restA } = a;
  const { name: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/** Returns true when the index was created, false when an identical one already exists. */
function checkExisting(collection: Collection, spec: IndexSpec): boolean {
  const sameName = collection.indexes.get(spec.name)?.spec;
  if (sameName) {
    if (JSON.stringify(sameName.key) !== JSON.stringify(spec.key)) {
      throw new ServerError(
        ErrorCode.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index: ${spec.name}`,
      );
    }
    if (!sameOptions(sameName, spec)) {
      throw new ServerError(
        ErrorCode.IndexOptionsConflict,
        `An equivalent index already exists with the same name but different options: ${spec.name}`,
      );
    }
    return false;
  }
  for (const index of collection.indexes.values()) {
    if (
      JSON.stringify(index.spec.key) === JSON.stringify(spec.key) &&
      sameOptions(index.spec, { ...spec, name: index.spec.name })
    ) {
      throw new ServerError(
        ErrorCode.IndexOptionsConflict,
        `Index already exists with a different name: ${index.spec.name}`,
      );
    }
  }
  return true;
}

const createIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'createIndexes');
  const specs = docArray(cmd, 'indexes').map(parseSpec);
  if (specs.length === 0) throw badValue('Must specify at least one index to create');
  const createdCollectionAutomatically = !ctx.store.collection(ctx.db, name);
  const collection = ctx.store.ensureCollection(ctx.db, name);
  const numIndexesBefore = collection.indexes.size;
  for (const spec of specs) if (checkExisting(collection, spec)) ctx.store.createIndex(collection, spec);
  const numIndexesAfter = collection.indexes.size;
  const reply: Doc = { createdCollectionAutomatically, numIndexesBefore, numIndexesAfter, ok: 1 };
  if (numIndexesAfter === numIndexesBefore) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'listIndexes');
  const collection = existingCollection(ctx, name);
  const docs = [...collection.indexes.values()].map((index) => index.describe());
  return ctx.cursors.open(`${ctx.db}.${name}`, docs, undefined);
};

function indexNamesToDrop(collection: Collection, selector: unknown): string[] {
  if (selector === '*') return [...collection.indexes.keys()].filter((n) => n !== '_id_');
  if (Array.isArray(selector)) return selector.map(String);
  if (typeof selector === 'string') return [selector];
  if (isPlainObject(selector)) {
    const found = [...collection.indexes.values()].find((i) => JSON.stringify(i.spec.key) === JSON.stringify(selector));
    if (!found) {
      throw new ServerError(ErrorCode.IndexNotFound, `can't find index with key: ${JSON.stringify(selector)}`);
    }
    return [found.spec.name];
  }
  throw badValue("dropIndexes requires 'index' as a name, key pattern, list of names or '*'");
}

const dropIndexes: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'dropIndexes');
  const collection = existingCollection(ctx, name);
  const nIndexesWas = collection.indexes.size;
  const names = indexNamesToDrop(collection, cmd.index);
  for (const indexName of names) {
    if (indexName === '_id_') throw new ServerError(ErrorCode.InvalidOptions, 'cannot drop _id index');
    if (!collection.indexes.has(indexName)) {
      throw new ServerError(ErrorCode.IndexNotFound, `index not found with name [${indexName}]`);
    }
  }
  for (const indexName of names) ctx.store.dropIndex(collection, indexName);
  return { nIndexesWas, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = { createIndexes, listIndexes, dropIndexes };
