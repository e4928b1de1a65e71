/**
 * The one place mingo (aggregation expressions and stages) is reached. Server-side JavaScript
 * ($where, $function, $accumulator) is off: any TCP client could otherwise run code in this process.
 * Matching, projection, updates and sorting are the server's own; mingo evaluates expressions and
 * runs the aggregation stages the server does not implement itself. Comparisons in expressions
 * ($eq, $cmp, $gt, ..., $max, $min) are the server's too, in the order its sorts use.
 */
import { Aggregator as MingoAggregator, Context, aggregate } from 'mingo';
import { ErrorCode, ServerError } from '../errors';
import { isPlainObject } from './bson-values';
import { Collation, parseCollation } from './collation';
import { StringCompare, compareExpressionValues } from './compare';
import { Doc } from './documents';
import { typeName } from './update/field-target';

interface MingoOptions {
  /** The command's collation, as its specification document. */
  collation?: unknown;
}

interface MingoCore {
  evalExpr(obj: unknown, expr: unknown, options: MingoOptions): unknown;
}

/* eslint-disable @typescript-eslint/no-require-imports -- these entry points are exported without node10 typings */
const core = require('mingo/core') as MingoCore;
const accumulators = require('mingo/operators/accumulator') as {
  $push(collection: unknown[], expr: unknown, options: MingoOptions): unknown[];
};

/** `$size` as MongoDB has it: a missing or non-array argument fails the command (mingo answers null). */
function $size(obj: unknown, expr: unknown, options: object): number {
  const value = core.evalExpr(obj, expr, options);
  if (Array.isArray(value)) return value.length;
  const type = value === undefined ? 'missing' : typeName(value);
  throw new ServerError(ErrorCode.SizeNotArray, `The argument to $size must be an array. Type of value: ${type}`);
}

/** String order of a collation, by its specification document (null: the simple collation). */
const collations = new WeakMap<object, StringCompare | null>();

function remember(collation: Collation | null | undefined): Doc | undefined {
  if (!collation) return undefined;
  collations.set(collation.spec, collation.compare);
  return collation.spec;
}

function stringsOf(options: MingoOptions): StringCompare | undefined {
  const raw = options.collation;
  if (!isPlainObject(raw)) return undefined;
  if (!collations.has(raw)) collations.set(raw, parseCollation(raw)?.compare ?? null);
  return collations.get(raw) ?? undefined;
}

/** Compares the two arguments of `name` in the order of expressions (missing below null). */
function compareArguments(name: string, obj: unknown, expr: unknown, options: MingoOptions): number {
  const args = Array.isArray(expr) ? expr : [expr];
  if (args.length !== 2) {
    throw new ServerError(
      ErrorCode.ExpressionArgumentCount,
      `Expression ${name} takes exactly 2 arguments. ${args.length} were passed in.`,
    );
  }
  const [a, b] = args.map((arg) => core.evalExpr(obj, arg, options));
  return compareExpressionValues(a, b, stringsOf(options));
}

function comparison(name: string, holds: (order: number) => boolean) {
  return (obj: unknown, expr: unknown, options: MingoOptions) => holds(compareArguments(name, obj, expr, options));
}

/** The largest (sign 1) or smallest (sign -1) value, skipping null and missing ones; null when none is left. */
function extremeOf(values: unknown[], sign: 1 | -1, options: MingoOptions): unknown {
  const strings = stringsOf(options);
  let best: unknown = null;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (best === null || sign * compareExpressionValues(value, best, strings) > 0) best = value;
  }
  return best;
}

/** `$max`/`$min` expressions: over their arguments, or over the elements of a single array argument. */
function extremeExpression(sign: 1 | -1) {
  return (obj: unknown, expr: unknown, options: MingoOptions) => {
    const values = (Array.isArray(expr) ? expr : [expr]).map((arg) => core.evalExpr(obj, arg, options));
    return extremeOf(values.length === 1 && Array.isArray(values[0]) ? values[0] : values, sign, options);
  };
}

/** `$max`/`$min` accumulators of the stages mingo runs ($bucket, $setWindowFields, ...): arrays compare whole. */
function extremeAccumulator(sign: 1 | -1) {
  return (collection: unknown[], expr: unknown, options: MingoOptions) =>
    extremeOf(accumulators.$push(collection, expr, options), sign, options);
}

const serverExpressions = {
  $size,
  $eq: comparison('$eq', (order) => order === 0),
  $ne: comparison('$ne', (order) => order !== 0),
  $gt: comparison('$gt', (order) => order > 0),
  $gte: comparison('$gte', (order) => order >= 0),
  $lt: comparison('$lt', (order) => order < 0),
  $lte: comparison('$lte', (order) => order <= 0),
  $cmp: (obj: unknown, expr: unknown, options: MingoOptions) => compareArguments('$cmp', obj, expr, options),
  $max: extremeExpression(1),
  $min: extremeExpression(-1),
};

/** Every mingo operator, with the server's own versions first (mingo keeps the first it is given). */
const context = Context.from(
  Context.init({
    expression: serverExpressions as never,
    accumulator: { $max: extremeAccumulator(1), $min: extremeAccumulator(-1) } as never,
  }),
  Context.init({
    accumulator: require('mingo/operators/accumulator') as never,
    expression: require('mingo/operators/expression') as never,
    pipeline: require('mingo/operators/pipeline') as never,
    projection: require('mingo/operators/projection') as never,
    query: require('mingo/operators/query') as never,
    window: require('mingo/operators/window') as never,
  }),
);
const { Aggregator } = require('mingo/aggregator') as { Aggregator: typeof MingoAggregator };
/* eslint-enable @typescript-eslint/no-require-imports */

type MingoCollation = NonNullable<Parameters<typeof aggregate>[2]>['collation'];

export interface StageOptions {
  collation?: Doc;
  collectionResolver?: (name: string) => Doc[];
}

/** mingo cannot do arithmetic on bigint, so int64 values reach it as (possibly rounded) doubles. */
function withoutBigInts(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.some(hasBigInt) ? value.map(withoutBigInts) : value;
  if (isPlainObject(value) && hasBigInt(value)) {
    const out: Doc = {};
    for (const key of Object.keys(value)) {
      Object.defineProperty(out, key, {
        value: withoutBigInts(value[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

function hasBigInt(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (Array.isArray(value)) return value.some(hasBigInt);
  if (isPlainObject(value)) return Object.values(value).some(hasBigInt);
  return false;
}

/** Runs aggregation stages on documents the caller owns (mingo may modify them). */
export function runStages(docs: Doc[], stages: Doc[], options: StageOptions = {}): Doc[] {
  return new Aggregator(stages, {
    scriptEnabled: false,
    context,
    collation: options.collation as unknown as MingoCollation,
    collectionResolver: options.collectionResolver
      ? (name: string) => options.collectionResolver!(name).map(withoutBigInts) as Doc[]
      : undefined,
  }).run(docs.map(withoutBigInts) as Doc[]) as Doc[];
}

/**
 * Evaluates an aggregation expression against a document (`$$ROOT` is the document); strings
 * compare under the command's collation.
 */
export function evaluate(doc: unknown, expr: unknown, collation?: Collation | null): unknown {
  return core.evalExpr(withoutBigInts(doc), expr, {
    scriptEnabled: false,
    context,
    collation: remember(collation),
  } as MingoOptions);
}
