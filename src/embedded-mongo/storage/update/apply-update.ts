import { Timestamp } from 'bson';
import { ErrorCode, ServerError, badValue } from '../../errors';
import { isPlainObject } from '../bson-values';
import { bsonIdentical, compareBson } from '../compare';
import { Doc, cloneValue, withIdFirst } from '../documents';
import { FilterOptions } from '../filter/compile-filter';
import { runStages } from '../mingo';
import { addToSet, pop, pull, push } from './array-operators';
import { FieldTarget, typeName } from './field-target';
import { arithmetic, bitwise, numericKind, zeroLike } from './numeric';
import { ArrayFilters, UpdateEntry, checkConflicts, parsedUpdate, resolvePaths } from './update-paths';

export type UpdateSpec = Doc | Doc[];

export interface UpdateOutcome {
  doc: Doc;
  modified: boolean;
}

export interface UpdateOptions extends FilterOptions {
  inserting?: boolean;
  arrayFilters?: Doc[];
  query?: Doc;
}

const PIPELINE_UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
const OPERATORS = new Set([
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
/** Operators that create the path they write to. */
const CREATING = new Set([
  '$set',
  '$setOnInsert',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$currentDate',
  '$push',
  '$addToSet',
  '$bit',
]);

/** MongoDB tells a replacement from an operator update by the first field name alone. */
export function isOperatorUpdate(u: Doc): boolean {
  return Object.keys(u)[0]?.startsWith('$') ?? false;
}

function checkNumeric(op: string, target: FieldTarget, operand: unknown, docId: unknown): void {
  if (numericKind(operand) === null) {
    throw new ServerError(
      ErrorCode.TypeMismatch,
      `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${target.name}: ${String(operand)}}`,
    );
  }
  if (target.exists && numericKind(target.value) === null) {
    throw new ServerError(
      ErrorCode.TypeMismatch,
      `Cannot apply ${op} to a value of non-numeric type. {_id: ${String(docId)}} has the field '${target.name}' of non-numeric type ${typeName(target.value)}`,
    );
  }
}

function currentDate(spec: unknown): unknown {
  if (spec === true || spec === false) return new Date();
  if (isPlainObject(spec) && (spec.$type === 'date' || spec.$type === 'timestamp')) {
    return spec.$type === 'date' ? new Date() : new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 });
  }
  throw badValue(`The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: ${String(spec)}}`);
}

function applyEntry(doc: Doc, op: string, parts: string[], entry: UpdateEntry, options: UpdateOptions): void {
  const target = FieldTarget.reach(doc, parts, CREATING.has(op));
  const strings = options.collation?.compare;
  const value = entry.value;
  if (!target) return;
  switch (op) {
    case '$set':
    case '$setOnInsert':
      target.set(cloneValue(value));
      return;
    case '$unset':
      target.remove();
      return;
    case '$inc':
    case '$mul':
      checkNumeric(op, target, value, doc._id);
      target.set(target.exists ? arithmetic(op, target.value, value) : op === '$inc' ? value : zeroLike(value));
      return;
    case '$min':
    case '$max': {
      const c = target.exists ? compareBson(value, target.value, strings) : op === '$min' ? -1 : 1;
      if ((op === '$min' && c < 0) || (op === '$max' && c > 0)) target.set(cloneValue(value));
      return;
    }
    case '$currentDate':
      target.set(currentDate(value));
      return;
    case '$push':
      return push(target, value, doc._id, strings);
    case '$addToSet':
      return addToSet(target, value, strings);
    case '$pop':
      return pop(target, value);
    case '$pull':
    case '$pullAll':
      return pull(op, target, value, options);
    case '$bit': {
      if (!isPlainObject(value)) throw badValue(`The $bit modifier is not compatible with a ${typeName(value)}`);
      const current = target.exists ? target.value : numericKind(Object.values(value)[0]) === 'long' ? 0n : 0;
      if (numericKind(current) !== 'int' && numericKind(current) !== 'long') {
        throw badValue(
          `Cannot apply $bit to a value of non-integral type. {_id: ${String(doc._id)}} has the field '${target.name}' of non-integer type ${typeName(current)}`,
        );
      }
      target.set(bitwise(current, value));
      return;
    }
    default:
      throw new ServerError(ErrorCode.FailedToParse, `Unknown modifier: ${op}`);
  }
}

function rename(doc: Doc, entry: UpdateEntry): void {
  const source = FieldTarget.reach(doc, entry.path, false);
  if (!source?.exists) return;
  const value = source.value;
  source.remove();
  FieldTarget.reach(doc, entry.to!, true)!.set(value);
}

function applyOperators(doc: Doc, u: Doc, options: UpdateOptions): Doc {
  for (const op of Object.keys(u)) {
    if (!OPERATORS.has(op)) {
      throw new ServerError(
        ErrorCode.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
  }
  const inserting = options.inserting ?? false;
  const { entries: all, positional } = parsedUpdate(u, inserting);
  const filters = new ArrayFilters(options.arrayFilters, options);
  filters.checkAllUsed(all, u);
  const entries = all.filter((e) => inserting || e.op !== '$setOnInsert');
  const next = cloneValue(doc);
  const ctx = { original: doc, query: options.query ?? {}, filters, options, inserting };
  // Without a positional path every entry writes its own path, whose conflicts parsing already refused.
  const planned = positional
    ? entries.flatMap((entry) =>
        entry.op === '$rename'
          ? [{ entry, parts: entry.path }]
          : resolvePaths(doc, entry.path, ctx).map((parts) => ({ entry, parts })),
      )
    : entries.map((entry) => ({ entry, parts: entry.path }));
  if (positional) {
    checkConflicts(
      planned.map((p) => p.parts),
      true,
    );
  }
  // MongoDB applies an update field by field in name order, so new fields appear sorted.
  const ordered = planned.map(({ entry, parts }) => ({ entry, parts, key: parts.join('\u0000') }));
  ordered.sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const { entry, parts } of ordered) {
    if (entry.op === '$rename') rename(next, entry);
    else applyEntry(next, entry.op, parts, entry, options);
  }
  return next;
}

function applyPipeline(doc: Doc, pipeline: Doc[], options: UpdateOptions): Doc {
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    if (!PIPELINE_UPDATE_STAGES.has(name)) throw badValue(`${name} is not allowed to be used within an update`);
  }
  const [out] = runStages([cloneValue(doc)], pipeline, { collation: options.collation?.spec });
  if (!out) throw badValue('update pipeline produced no document');
  return out;
}

function checkReplacement(u: Doc, inserting: boolean): void {
  if (inserting) return;
  const dollar = Object.keys(u).find((k) => k.startsWith('$'));
  if (dollar) {
    throw new ServerError(
      ErrorCode.DollarPrefixedFieldName,
      `The dollar ($) prefixed field '${dollar}' in '${dollar}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
    );
  }
}

/** Applies an operator, replacement or pipeline update to a copy of `doc`; `_id` may not change. */
export function applyUpdate(doc: Doc, u: UpdateSpec, options: UpdateOptions = {}): UpdateOutcome {
  let next: Doc;
  if (Array.isArray(u)) next = applyPipeline(doc, u, options);
  else if (isOperatorUpdate(u)) next = applyOperators(doc, u, options);
  else {
    checkReplacement(u, options.inserting ?? false);
    next = cloneValue(u);
    if (next._id === undefined && doc._id !== undefined) next = { _id: doc._id, ...next };
  }
  if (doc._id !== undefined && !bsonIdentical(next._id, doc._id)) {
    throw new ServerError(
      ErrorCode.ImmutableField,
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  next = withIdFirst(next);
  return { doc: next, modified: !bsonIdentical(next, doc) };
}
