import { aggregate as mingoAggregate } from 'mingo';
import { ErrorCode, ServerError, badValue } from '../errors';
import { Doc, cloneValue, withIdFirst } from '../storage/documents';
import { isPlainObject } from '../storage/key-encoding';
import { candidates } from '../storage/plan-reader';
import { CommandContext, CommandHandler, optionalDoc, optionalNumber } from './context';
import { MINGO_OPTIONS } from '../storage/mingo-options';

type Collation = NonNullable<Parameters<typeof import('mingo').aggregate>[2]>['collation'];

/** Stages that only read their input documents; any other stage gets copies so stored data stays intact. */
const READ_ONLY_STAGES = new Set(['$match', '$group', '$sort', '$limit', '$skip', '$count', '$sortByCount']);

const REJECTED_STAGES: Record<string, ServerError> = {
  $changeStream: new ServerError(ErrorCode.ChangeStreamNotSupported, 'The $changeStream stage is only supported on replica sets'),
  $merge: new ServerError(ErrorCode.NotImplemented, '$merge is not supported by the embedded server; use $out'),
  $geoNear: new ServerError(ErrorCode.NotImplemented, '$geoNear is not supported by the embedded server'),
  $search: new ServerError(ErrorCode.NotImplemented, '$search is not supported by the embedded server'),
  $collStats: new ServerError(ErrorCode.NotImplemented, '$collStats is not supported by the embedded server'),
  $indexStats: new ServerError(ErrorCode.NotImplemented, '$indexStats is not supported by the embedded server'),
};

function parsePipeline(cmd: Doc): Doc[] {
  const pipeline = cmd.pipeline;
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) throw badValue("'pipeline' option must be specified as an array");
  pipeline.forEach((stage, i) => {
    const names = Object.keys(stage);
    if (names.length !== 1) throw badValue('A pipeline stage specification object must contain exactly one field.');
    const rejected = REJECTED_STAGES[names[0]];
    if (rejected) throw rejected;
    if (names[0] === '$out' && i !== pipeline.length - 1) throw badValue('$out can only be the final stage in the pipeline');
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

const aggregate: CommandHandler = (cmd, ctx) => {
  const pipeline = parsePipeline(cmd);
  const cursorOptions = optionalDoc(cmd, 'cursor');
  if (cmd.explain) throw new ServerError(ErrorCode.NotImplemented, 'explain is not supported by the embedded server');
  if (!cursorOptions) throw new ServerError(ErrorCode.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
  const name = cmd.aggregate;
  if (typeof name !== 'string' && name !== 1) throw badValue('aggregate requires a collection name or 1');
  const collection = typeof name === 'string' ? ctx.store.collection(ctx.db, name) : undefined;

  const readOnly = pipeline.every((stage) => READ_ONLY_STAGES.has(Object.keys(stage)[0]));
  const first = pipeline[0]?.$match;
  let input = !collection ? [] : isPlainObject(first) ? candidates(collection, first) : [...collection.docs.values()];
  if (!readOnly) input = input.map(cloneValue);

  const outStage = pipeline[pipeline.length - 1]?.$out;
  const stages = outStage === undefined ? pipeline : pipeline.slice(0, -1);
  const collation = optionalDoc(cmd, 'collation') as unknown as Collation | undefined;
  const results = mingoAggregate(input, stages, {
    ...MINGO_OPTIONS,
    collation,
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
