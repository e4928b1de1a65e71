import { ErrorCode, ServerError, badValue } from '../errors';
import { Doc, cloneValue, withIdFirst } from '../storage/documents';
import { Collection } from '../storage/collection';
import { encodeDocument, fieldNames } from '../storage/document-map';
import { isPlainObject } from '../storage/key-encoding';
import { parseCollation } from '../storage/collation';
import { PipelineContext, pipelineSteps, validateStages } from '../storage/pipeline/run-pipeline';
import { readAll, sourceFor } from '../storage/plan-reader';
import { FindOptions, findSteps } from '../storage/query-executor';
import { pipelineFields } from '../storage/needed-fields';
import { planQuery } from '../storage/query-planner';
import { Steps, drive, whenReady } from '../storage/steps';
import { CommandContext, CommandHandler, optionalDoc, optionalNumber } from './context';

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
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  const stages = validateStages(pipeline);
  stages.forEach((stage, i) => {
    const name = Object.keys(stage)[0];
    const rejected = REJECTED_STAGES[name];
    if (rejected) throw rejected;
    if (name === '$out' && i !== stages.length - 1) throw badValue('$out can only be the final stage in the pipeline');
  });
  return stages;
}

function writeOut(ctx: CommandContext, target: unknown, docs: Doc[]): void {
  const name = typeof target === 'string' ? target : isPlainObject(target) ? target.coll : undefined;
  if (typeof name !== 'string') throw badValue('$out requires a collection name');
  if (isPlainObject(target) && target.db !== undefined && target.db !== ctx.db) {
    throw new ServerError(ErrorCode.NotImplemented, '$out to another database is not supported by the embedded server');
  }
  const existing = ctx.store.collection(ctx.db, name);
  // MongoDB writes the output beside the target and swaps it in, so an output that breaks a unique
  // index (or cannot be stored) leaves the target as it was: it is checked in a staging copy first.
  const staged = new Collection(ctx.db, name);
  for (const index of existing?.indexes.values() ?? []) if (!index.isIdIndex) staged.addIndex(index.spec);
  const prepared = docs.map((doc) => {
    const stored = withIdFirst(cloneValue(doc));
    const bytes = encodeDocument(stored);
    staged.insert(stored, bytes);
    return { stored, bytes };
  });
  const collection = existing ?? ctx.store.createCollection(ctx.db, name, {});
  for (const doc of [...collection.docs.values()]) ctx.store.remove(collection, doc);
  for (const { stored, bytes } of prepared) ctx.store.insert(collection, stored, bytes);
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

function* aggregateSteps(ctx: CommandContext, name: unknown, pipeline: Doc[], cmd: Doc): Steps<Doc[]> {
  const collection = typeof name === 'string' ? ctx.store.collection(ctx.db, name) : undefined;
  const rawCollation = optionalDoc(cmd, 'collation');
  const collation = parseCollation(rawCollation);
  const { find, rest } = leadingFind(pipeline);
  let input: Doc[];
  if (find) input = yield* findSteps(collection, { ...find, collation: rawCollation, hint: cmd.hint });
  else if (!collection) input = [];
  else {
    // A leading $match picks its candidates through an index; the $match stage itself still filters them.
    const first = rest[0]?.$match;
    const filter = isPlainObject(first) ? first : {};
    // A pipeline that groups or counts before passing documents on decodes only the fields it reads.
    const needed = pipelineFields(rest);
    const plan = planQuery(collection, filter, { collation, hint: cmd.hint });
    input = yield* readAll(sourceFor(collection, filter, plan, needed && fieldNames(needed)));
  }
  const context: PipelineContext = {
    collation,
    rawCollation,
    resolve: (foreign) => [...(ctx.store.collection(ctx.db, foreign)?.docs.values() ?? [])],
  };
  return yield* pipelineSteps(input, rest, context);
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
  const outStage = pipeline[pipeline.length - 1]?.$out;
  const stages = outStage === undefined ? pipeline : pipeline.slice(0, -1);
  const ns = `${ctx.db}.${typeof name === 'string' ? name : '$cmd.aggregate'}`;
  const batchSize = optionalNumber(cursorOptions, 'batchSize');
  return whenReady(drive(aggregateSteps(ctx, name, stages, cmd)), (results) => {
    if (outStage === undefined) return ctx.cursors.open(ns, results, batchSize);
    writeOut(ctx, outStage, results);
    return ctx.cursors.open(ns, [], undefined);
  });
};

export const aggregateCommands: Record<string, CommandHandler> = { aggregate };
