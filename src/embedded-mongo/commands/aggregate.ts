import { aggregate as mingoAggregate } from 'mingo';
import { ErrorCode, ServerError, badValue } from '../errors';
import { Doc, cloneValue, withIdFirst } from '../storage/documents';
import { isPlainObject } from '../storage/key-encoding';
import { candidates } from '../storage/plan-reader';
import { FindOptions, runFind } from '../storage/query-executor';
import { CommandContext, CommandHandler, optionalDoc, optionalNumber } from './context';
import { MINGO_OPTIONS } from '../storage/mingo-options';

type Collation = NonNullable<Parameters<typeof import('mingo').aggregate>[2]>['collation'];

/** Stages that only read their input documents; any other stage gets copies so stored data stays intact. */
const READ_ONLY_STAGES = new Set(['$match', '$group', '$sort', '$limit', '$skip', '$count', '$sortByCount']);

const REJECTED_STAGES: Record<string, ServerError> = {
  $changeStream: new ServerError(
    ErrorCode.ChangeStreamNotSupported,
    'The $changeStream stage is only supported on replica sets',
  ),
  $merge: new ServerError(ErrorCode.NotImplemented, '$merge is not supported by the embedded server; use $out'),
  $geoNear: new ServerError(ErrorCode.NotImplemented, '$geoNear is not supported by the embedded server'),
  $search: new ServerError(ErrorCode.NotImplemented, '$search is not supported by the embedded server'),
  $collStats: new ServerError(ErrorCode.NotImplemented, '$collStats is not supported by the embedded server'),
  $indexStats: new ServerError(ErrorCode.NotImplemented, '$indexStats is not supported by the embedded server'),
};

function parsePipeline(cmd: Doc): Doc[] {
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) {
    throw badValue("'pipeline' option must be specified as an array");
  }
  pipeline.forEach((stage, i) => {
    const names = Object.keys(stage);
    if (names.length !== 1) throw badValue('A pipeline stage specification object must contain exactly one field.');
    const rejected = REJECTED_STAGES[names[0]];
    if (rejected) throw rejected;
    if (names[0] === '$out' && i !== pipeline.length - 1) {
      throw badValue('$out can only be the final stage in the pipeline');
    }
  });
  return pipeline;
}

function writeOut(ctx: CommandContext, target: unknown, docs: Doc[]): void {
  const name = typeof target === 'string' ? target : isPlainObject(target) ? target.coll : undefined;
  if (typeof name !== 'string') throw badValue('$out requires a collection name');
  if (isPlainObject(target) && target.db !== undefined && target.db !== ctx.db) {
    throw new ServerError(ErrorCode.NotImplemented, '$out to another database is not supported by the embedded server');
  }
  const collection = ctx.store.ensureCollection(ctx.db, name);
  for (const doc of [...collection.docs.values()]) ctx.store.remove(collection, doc);
  for (const doc of docs) ctx.store.insert(collection, withIdFirst(doc));
}

/**
 * Leading `$match` / `$sort` / `$skip` / `$limit` stages run as a find: index-backed, sorted in
 * BSON order, and able to stop early when an index already yields the sort order.
 */
function leadingFind(pipeline: Doc[]): { find: FindOptions | null; rest: Doc[] } {
  const find: FindOptions = {};
  let i = 0;
  if (isPlainObject(pipeline[i]?.$match)) find.filter = pipeline[i++].$match as Doc;
  if (isPlainObject(pipeline[i]?.$sort)) find.sort = pipeline[i++].$sort as Doc;
  if (typeof pipeline[i]?.$skip === 'number' && find.sort) find.skip = pipeline[i++].$skip as number;
  if (typeof pipeline[i]?.$limit === 'number' && find.sort) find.limit = pipeline[i++].$limit as number;
  if (!find.sort) return { find: null, rest: pipeline };
  if ((find.limit ?? 1) <= 0 || (find.skip ?? 0) < 0) throw badValue('$limit must be positive and $skip non-negative');
  return { find, rest: pipeline.slice(i) };
}

const aggregate: CommandHandler = (cmd, ctx) => {
  const pipeline = parsePipeline(cmd);
  const cursorOptions = optionalDoc(cmd, 'cursor');
  if (cmd.explain) throw new ServerError(ErrorCode.NotImplemented, 'explain is not supported by the embedded server');
  if (!cursorOptions) {
    throw new ServerError(
      ErrorCode.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  const name = cmd.aggregate;
  if (typeof name !== 'string' && name !== 1) throw badValue('aggregate requires a collection name or 1');
  const collection = typeof name === 'string' ? ctx.store.collection(ctx.db, name) : undefined;

  const collation = optionalDoc(cmd, 'collation');
  const { find, rest } = collation ? { find: null, rest: pipeline } : leadingFind(pipeline);
  const readOnly = rest.every((stage) => READ_ONLY_STAGES.has(Object.keys(stage)[0]));
  const first = rest[0]?.$match;
  let input = find
    ? runFind(collection, find)
    : !collection
      ? []
      : isPlainObject(first)
        ? candidates(collection, first)
        : [...collection.docs.values()];
  if (!readOnly) input = input.map(cloneValue);

  const outStage = rest[rest.length - 1]?.$out;
  const stages = outStage === undefined ? rest : rest.slice(0, -1);
  const results = mingoAggregate(input, stages, {
    ...MINGO_OPTIONS,
    collation: collation as unknown as Collation | undefined,
    collectionResolver: (foreign: string) => {
      const docs = [...(ctx.store.collection(ctx.db, foreign)?.docs.values() ?? [])];
      return readOnly ? docs : docs.map(cloneValue);
    },
  }) as Doc[];

  const ns = `${ctx.db}.${typeof name === 'string' ? name : '$cmd.aggregate'}`;
  if (outStage !== undefined) {
    writeOut(ctx, outStage, results);
    return ctx.cursors.open(ns, [], undefined);
  }
  return ctx.cursors.open(ns, results, optionalNumber(cursorOptions, 'batchSize'));
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
