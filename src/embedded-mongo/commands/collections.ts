import { ErrorCode, ServerError } from '../errors';
import { Collection } from '../storage/collection';
import { Doc } from '../storage/documents';
import { compileFilter } from '../storage/filter/compile-filter';
import { Steps, drive } from '../storage/steps';
import { CommandHandler, collectionName, existingCollection, optionalDoc } from './context';

const UNSUPPORTED_CREATE_OPTIONS = [
  'capped',
  'timeseries',
  'viewOn',
  'pipeline',
  'validator',
  'clusteredIndex',
  'collation',
  'changeStreamPreAndPostImages',
];

const create: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'create');
  const unsupported = UNSUPPORTED_CREATE_OPTIONS.filter((option) => cmd[option] !== undefined && cmd[option] !== false);
  if (unsupported.length > 0) {
    throw new ServerError(
      ErrorCode.NotImplemented,
      `collection options not supported by the embedded server: ${unsupported.join(', ')}`,
    );
  }
  ctx.store.createCollection(ctx.db, name, {});
  return { ok: 1 };
};

const drop: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, 'drop');
  const collection = existingCollection(ctx, name);
  const nIndexesWas = collection.indexes.size;
  ctx.store.dropCollection(ctx.db, name);
  return { nIndexesWas, ns: collection.ns, ok: 1 };
};

const dropDatabase: CommandHandler = (_cmd, ctx) => {
  ctx.store.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function describeCollection(collection: Collection): Doc {
  return {
    name: collection.name,
    type: 'collection',
    options: collection.options,
    info: { readOnly: false },
    idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
  };
}

const listCollections: CommandHandler = (cmd, ctx) => {
  const filter = optionalDoc(cmd, 'filter') ?? {};
  const test = compileFilter(filter);
  const all = [...(ctx.store.databases.get(ctx.db)?.values() ?? [])].map(describeCollection).filter(test);
  const docs = cmd.nameOnly === true ? all.map(({ name, type }) => ({ name, type })) : all;
  return ctx.cursors.open(`${ctx.db}.$cmd.listCollections`, docs, undefined);
};

/** The BSON size of every document of some collections, measured with pause points (it reads them all). */
async function dataSize(collections: Iterable<Collection>): Promise<number> {
  return drive(
    (function* measure(): Steps<number> {
      let size = 0;
      for (const collection of collections) {
        let n = 0;
        for (const bytes of collection.docs.byteLengths()) {
          size += bytes;
          if ((++n & 1023) === 0) yield;
        }
      }
      return size;
    })(),
  );
}

const listDatabases: CommandHandler = async (cmd, ctx) => {
  const test = compileFilter(optionalDoc(cmd, 'filter') ?? {});
  const all: Doc[] = [];
  for (const [name, collections] of [...ctx.store.databases.entries()]) {
    const sizeOnDisk = cmd.nameOnly === true ? 0 : await dataSize(collections.values());
    all.push({ name, sizeOnDisk, empty: [...collections.values()].every((c) => c.docs.size === 0) });
  }
  const databases = all.filter(test);
  if (cmd.nameOnly === true) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
  return { databases, totalSize: databases.reduce((sum, d) => sum + Number(d.sizeOnDisk), 0), ok: 1 };
};

const collStats: CommandHandler = async (cmd, ctx) => {
  const collection = existingCollection(ctx, collectionName(cmd, 'collStats'));
  const size = await dataSize([collection]);
  const count = collection.docs.size;
  const indexSizes: Doc = {};
  for (const [name, index] of collection.indexes) indexSizes[name] = index.entries.size * 32;
  const totalIndexSize = Object.values(indexSizes).reduce((sum: number, s) => sum + Number(s), 0);
  return {
    ns: collection.ns,
    count,
    size,
    avgObjSize: count > 0 ? Math.round(size / count) : 0,
    storageSize: size,
    nindexes: collection.indexes.size,
    totalIndexSize,
    indexSizes,
    ok: 1,
  };
};

const dbStats: CommandHandler = async (_cmd, ctx) => {
  const collections = [...(ctx.store.databases.get(ctx.db)?.values() ?? [])];
  const objects = collections.reduce((sum, c) => sum + c.docs.size, 0);
  const size = await dataSize(collections);
  return {
    db: ctx.db,
    collections: collections.length,
    views: 0,
    objects,
    avgObjSize: objects > 0 ? size / objects : 0,
    dataSize: size,
    storageSize: size,
    indexes: collections.reduce((sum, c) => sum + c.indexes.size, 0),
    ok: 1,
  };
};

export const collectionCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  collStats,
  dbStats,
};
