import { ErrorCode, ServerError, badValue } from '../../errors';
import { isPlainObject, setOwn } from '../bson-values';
import { Doc, cloneValue } from '../documents';
import { runStages } from '../mingo';
import { compileMatcher } from '../simple-filter';
import { parseSort, sortDocumentSteps } from '../sort';
import { Steps } from '../steps';
import { PipelineContext, chunkedStage, count, groupStage, lookupStage } from './stage-helpers';

export type { PipelineContext } from './stage-helpers';

/** Stages that transform one document at a time: mingo runs them chunk by chunk. */
const STREAMING = new Set([
  '$project',
  '$addFields',
  '$set',
  '$unset',
  '$replaceRoot',
  '$replaceWith',
  '$redact',
  '$unwind',
]);

/** Stages the server knows; anything else is 40324 "Unrecognized pipeline stage name". */
export const KNOWN_STAGES = new Set([
  ...STREAMING,
  '$match',
  '$sort',
  '$skip',
  '$limit',
  '$count',
  '$group',
  '$sortByCount',
  '$lookup',
  '$facet',
  '$unionWith',
  '$bucket',
  '$bucketAuto',
  '$sample',
  '$setWindowFields',
  '$graphLookup',
  '$densify',
  '$fill',
  '$documents',
  '$out',
  '$merge',
  '$geoNear',
  '$changeStream',
  '$search',
  '$collStats',
  '$indexStats',
]);

/** Checks stage names (and that each stage is a one-field document) before anything runs. */
export function validateStages(pipeline: unknown[]): Doc[] {
  return pipeline.map((stage) => {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw badValue('A pipeline stage specification object must contain exactly one field.');
    }
    const name = Object.keys(stage)[0];
    if (!KNOWN_STAGES.has(name)) {
      throw new ServerError(ErrorCode.UnrecognizedPipelineStage, `Unrecognized pipeline stage name: '${name}'`);
    }
    if (name === '$facet' && isPlainObject(stage.$facet)) {
      for (const sub of Object.values(stage.$facet)) {
        if (!Array.isArray(sub)) throw badValue('$facet sub-pipelines must be arrays');
        validateStages(sub);
      }
    }
    return stage;
  });
}

/**
 * Runs pipeline stages with pause points between chunks. `$match` and `$sort` use the server's own
 * matcher and BSON order (the same as find); `$group` and `$lookup` partition and join here; the
 * other stages are mingo's. `owned` says whether the input documents may be modified (stored ones may not).
 */
export function* pipelineSteps(input: Doc[], stages: Doc[], ctx: PipelineContext, owned = false): Steps<Doc[]> {
  let docs = input;
  for (const stage of stages) {
    const [name, arg] = Object.entries(stage)[0];
    if (name === '$match') {
      if (!isPlainObject(arg)) throw badValue('the match filter must be an expression in an object');
      const test = compileMatcher(arg, ctx.collation);
      const kept: Doc[] = [];
      for (let i = 0; i < docs.length; i++) {
        if (test(docs[i])) kept.push(docs[i]);
        if ((i & 1023) === 1023) yield;
      }
      docs = kept;
    } else if (name === '$sort') {
      if (!isPlainObject(arg)) throw badValue('the $sort key specification must be an object');
      docs = yield* sortDocumentSteps(docs, parseSort(arg), ctx.collation?.compare);
    } else if (name === '$skip') docs = docs.slice(count(arg, '$skip', false));
    else if (name === '$limit') docs = docs.slice(0, count(arg, '$limit', true));
    else if (name === '$count') {
      if (typeof arg !== 'string' || arg.length === 0 || arg.startsWith('$') || arg.includes('.')) {
        throw badValue('the count field must be a non-empty string without $ or .');
      }
      docs = docs.length > 0 ? [{ [arg]: docs.length }] : [];
    } else if (name === '$group') {
      docs = yield* groupStage(docs, arg, ctx);
    } else if (name === '$sortByCount') {
      const grouped = yield* groupStage(docs, { _id: arg, count: { $sum: 1 } }, ctx);
      docs = yield* sortDocumentSteps(grouped, [['count', -1]]);
      owned = true;
    } else if (name === '$lookup' && isPlainObject(arg) && arg.pipeline === undefined && arg.let === undefined) {
      docs = yield* lookupStage(docs, arg, ctx);
      owned = true;
    } else if (name === '$facet') {
      if (!isPlainObject(arg)) throw badValue('$facet requires an object');
      const out: Doc = {};
      for (const [field, sub] of Object.entries(arg)) {
        setOwn(out, field, yield* pipelineSteps(docs, sub as Doc[], ctx, false));
      }
      docs = [out];
    } else if (name === '$unionWith') {
      const spec = typeof arg === 'string' ? { coll: arg } : (arg as Doc);
      if (!isPlainObject(spec) || typeof spec.coll !== 'string') {
        throw badValue('$unionWith requires a collection name');
      }
      const other = yield* pipelineSteps(
        ctx.resolve(spec.coll),
        (spec.pipeline as Doc[] | undefined) ?? [],
        ctx,
        false,
      );
      docs = docs.concat(other);
    } else if (STREAMING.has(name)) {
      docs = yield* chunkedStage(docs, stage, owned, ctx);
      owned = true;
    } else {
      // Whole-input stages ($bucket, $setWindowFields, $graphLookup, ...) run in one mingo call.
      docs = runStages(owned ? docs : docs.map(cloneValue), [stage], {
        collation: ctx.rawCollation,
        collectionResolver: ctx.resolve,
      });
      owned = true;
      yield;
    }
  }
  return docs;
}
