import { serialize } from 'bson';
import { aggregate, update as mingoUpdate } from 'mingo';
import { ErrorCode, ServerError, badValue } from '../errors';
import { Doc, cloneValue, setPath, withIdFirst } from './documents';
import { encodeValue, isPlainObject } from './key-encoding';
import { MINGO_OPTIONS } from './mingo-options';

export type UpdateSpec = Doc | Doc[];

const PIPELINE_UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export interface UpdateOutcome {
  doc: Doc;
  modified: boolean;
}

function isOperatorUpdate(u: Doc): boolean {
  const keys = Object.keys(u);
  const operators = keys.filter((k) => k.startsWith('$')).length;
  if (operators > 0 && operators < keys.length) {
    throw new ServerError(ErrorCode.FailedToParse, 'Update document mixes update operators and plain fields');
  }
  return operators > 0;
}

function applyPipeline(doc: Doc, pipeline: Doc[]): Doc {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    if (!PIPELINE_UPDATE_STAGES.has(name)) throw badValue(`${name} is not allowed to be used within an update`);
  }
  const [out] = aggregate([cloneValue(doc)], pipeline, MINGO_OPTIONS);
  if (!out) throw badValue('update pipeline produced no document');
  return out;
}

const UPDATE_OPERATORS = new Set([
  '$set',
  '$setOnInsert',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$currentDate',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$bit',
]);

function applyOperators(
  doc: Doc,
  u: Doc,
  inserting: boolean,
  arrayFilters: Doc[] | undefined,
  query: Doc,
): UpdateOutcome {
  for (const operator of Object.keys(u)) {
    if (!UPDATE_OPERATORS.has(operator)) {
      throw new ServerError(
        ErrorCode.FailedToParse,
        `Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
  }
  const modifier: Doc = { ...u };
  const onInsert = modifier.$setOnInsert;
  delete modifier.$setOnInsert;
  if (inserting && isPlainObject(onInsert)) {
    modifier.$set = { ...(isPlainObject(modifier.$set) ? modifier.$set : {}), ...onInsert };
  }
  const next = cloneValue(doc);
  if (inserting && next._id === undefined && isPlainObject(modifier.$set) && modifier.$set._id !== undefined) {
    // An upsert may choose the new document's _id through $set / $setOnInsert.
    const { _id, ...rest } = modifier.$set;
    next._id = cloneValue(_id);
    modifier.$set = rest;
  }
  if (Object.keys(modifier).length === 0) return { doc: next, modified: false };
  const changed = mingoUpdate(next, modifier, arrayFilters, query, { cloneMode: 'deep', queryOptions: MINGO_OPTIONS });
  return { doc: next, modified: changed.length > 0 };
}

/** Applies an operator, replacement or pipeline update to a copy of `doc`; `_id` may not change. */
export function applyUpdate(
  doc: Doc,
  u: UpdateSpec,
  options: { inserting?: boolean; arrayFilters?: Doc[]; query?: Doc } = {},
): UpdateOutcome {
  let outcome: UpdateOutcome;
  if (Array.isArray(u)) {
    const next = applyPipeline(doc, u);
    outcome = { doc: next, modified: !Buffer.from(serialize(next)).equals(Buffer.from(serialize(doc))) };
  } else if (isOperatorUpdate(u)) {
    outcome = applyOperators(doc, u, options.inserting ?? false, options.arrayFilters, options.query ?? {});
  } else {
    const next: Doc = { _id: u._id === undefined ? doc._id : u._id, ...u };
    outcome = { doc: next, modified: !Buffer.from(serialize(next)).equals(Buffer.from(serialize(doc))) };
  }
  if (doc._id !== undefined && encodeValue(outcome.doc._id) !== encodeValue(doc._id)) {
    throw new ServerError(
      ErrorCode.ImmutableField,
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return outcome;
}

function collectEqualities(filter: Doc, seed: Doc): void {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const branch of condition) if (isPlainObject(branch)) collectEqualities(branch, seed);
    } else if (!field.startsWith('$')) {
      const operators = isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'));
      if (!operators && !(condition instanceof RegExp)) setPath(seed, field, cloneValue(condition));
      else if (operators && '$eq' in (condition as Doc)) setPath(seed, field, cloneValue((condition as Doc).$eq));
    }
  }
}

/** The document an upsert inserts: query equalities, then the update (with `$setOnInsert`), `_id` first. */
export function buildUpsert(query: Doc, u: UpdateSpec, arrayFilters?: Doc[]): Doc {
  const seed: Doc = {};
  collectEqualities(query, seed);
  let doc: Doc;
  if (!Array.isArray(u) && !isOperatorUpdate(u)) {
    doc = { ...u };
    if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
  } else {
    doc = applyUpdate(seed, u, { inserting: true, arrayFilters, query: {} }).doc;
  }
  return withIdFirst(doc);
}
