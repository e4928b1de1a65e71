/**
 * The one place mingo (aggregation expressions and stages) is reached. Server-side JavaScript
 * ($where, $function, $accumulator) is off: any TCP client could otherwise run code in this process
 * ($function runs only the JavaScript functions mingo's own stages build).
 * Matching, projection, updates and sorting are the server's own; mingo evaluates expressions and
 * runs the aggregation stages the server does not implement itself. Comparisons in expressions
 * ($eq, $cmp, $gt, ..., $max, $min) are the server's too, in the order its sorts use, and so are the
 * expressions that test values for equality ($in, $indexOfArray, the set operators) or sort them ($sortArray);
 * the logical and conditional expressions take values as true or false as $expr does.
 */
import { Aggregator as MingoAggregator, Context, aggregate } from 'mingo';
import { ErrorCode, ErrorCodeValue, ServerError } from '../errors';
import { isPlainObject } from './bson-values';
import { Collation, parseCollation } from './collation';
import { StringCompare, ValueSet, compareBson, compareExpressionValues } from './compare';
import { Doc } from './documents';
import { truthy } from './filter/values';
import { parseSort, sortDocuments } from './sort';
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
type Operator = (obj: unknown, expr: unknown, options: MingoOptions) => unknown;
const mingoExpressions = require('mingo/operators/expression') as Record<string, Operator>;

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

/** The values of an expression's arguments; `count` is how many it takes exactly, when it is fixed. */
function argumentsOf(name: string, obj: unknown, expr: unknown, options: MingoOptions, count?: number): unknown[] {
  const args = Array.isArray(expr) ? expr : [expr];
  if (count !== undefined && args.length !== count) {
    throw new ServerError(
      ErrorCode.ExpressionArgumentCount,
      `Expression ${name} takes exactly ${count} arguments. ${args.length} were passed in.`,
    );
  }
  return args.map((arg) => core.evalExpr(obj, arg, options));
}

/** Compares the two arguments of `name` in the order of expressions (missing below null). */
function compareArguments(name: string, obj: unknown, expr: unknown, options: MingoOptions): number {
  const [a, b] = argumentsOf(name, obj, expr, options, 2);
  return compareExpressionValues(a, b, stringsOf(options));
}

function typeOf(value: unknown): string {
  return value === undefined ? 'missing' : typeName(value);
}

function notArray(code: ErrorCodeValue, message: string, value: unknown): ServerError {
  return new ServerError(code, `${message}${typeOf(value)}`);
}

/** `$in`: whether the first argument equals an element of the second (BSON equality; missing equals nothing). */
function $in(obj: unknown, expr: unknown, options: MingoOptions): boolean {
  const [value, array] = argumentsOf('$in', obj, expr, options, 2);
  if (!Array.isArray(array)) {
    throw notArray(ErrorCode.InArgumentNotArray, '$in requires an array as a second argument, found: ', array);
  }
  const strings = stringsOf(options);
  return value !== undefined && array.some((e) => compareBson(e, value, strings) === 0);
}

/** `$indexOfArray`: the first index from `start` (below `end`) of an element equal to the value. */
function $indexOfArray(obj: unknown, expr: unknown, options: MingoOptions): unknown {
  const [array, value, ...range] = argumentsOf('$indexOfArray', obj, expr, options);
  if (!Array.isArray(array) || range.some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
    return mingoExpressions.$indexOfArray(obj, expr, options); // its null, argument checks and errors
  }
  const [start = 0, end = array.length] = range as number[];
  const strings = stringsOf(options);
  for (let i = start; i < Math.min(end, array.length); i++) {
    if (compareExpressionValues(array[i], value, strings) === 0) return i;
  }
  return -1;
}

/**
 * The arguments of a set expression as sets; null when one is null or missing and `nullable`. Any other
 * value that is not an array fails with `code`, or with the code of its position when there is one each.
 */
function setsOf(
  name: string,
  code: ErrorCodeValue | [first: ErrorCodeValue, second: ErrorCodeValue],
  obj: unknown,
  expr: unknown,
  options: MingoOptions,
  { count, nullable }: { count?: number; nullable: boolean },
): ValueSet[] | null {
  const args = argumentsOf(name, obj, expr, options, count);
  if (nullable && args.some((v) => v === null || v === undefined)) return null;
  args.forEach((value, i) => {
    if (Array.isArray(value)) return;
    if (!Array.isArray(code)) {
      throw notArray(code, `All operands of ${name} must be arrays. One argument is of type: `, value);
    }
    const which = i === 0 ? 'First' : 'Second';
    throw notArray(code[i], `both operands of ${name} must be arrays. ${which} argument is of type: `, value);
  });
  const strings = stringsOf(options);
  return args.map((value) => new ValueSet(value as unknown[], strings));
}

function $setUnion(obj: unknown, expr: unknown, options: MingoOptions): unknown[] | null {
  const sets = setsOf('$setUnion', ErrorCode.SetUnionNotArray, obj, expr, options, { nullable: true });
  return (
    sets &&
    new ValueSet(
      sets.flatMap((set) => set.values),
      stringsOf(options),
    ).values
  );
}

function $setIntersection(obj: unknown, expr: unknown, options: MingoOptions): unknown[] | null {
  const sets = setsOf('$setIntersection', ErrorCode.SetIntersectionNotArray, obj, expr, options, { nullable: true });
  if (!sets || sets.length === 0) return sets && [];
  return sets[0].values.filter((v) => sets.every((set) => set.has(v)));
}

function $setDifference(obj: unknown, expr: unknown, options: MingoOptions): unknown[] | null {
  const codes: [ErrorCodeValue, ErrorCodeValue] = [
    ErrorCode.SetDifferenceFirstNotArray,
    ErrorCode.SetDifferenceSecondNotArray,
  ];
  const sets = setsOf('$setDifference', codes, obj, expr, options, { count: 2, nullable: true });
  return sets && sets[0].values.filter((v) => !sets[1].has(v));
}

function $setIsSubset(obj: unknown, expr: unknown, options: MingoOptions): boolean {
  const codes: [ErrorCodeValue, ErrorCodeValue] = [
    ErrorCode.SetIsSubsetFirstNotArray,
    ErrorCode.SetIsSubsetSecondNotArray,
  ];
  const [first, second] = setsOf('$setIsSubset', codes, obj, expr, options, { count: 2, nullable: false })!;
  return first.values.every((v) => second.has(v));
}

function $setEquals(obj: unknown, expr: unknown, options: MingoOptions): boolean {
  const sets = setsOf('$setEquals', ErrorCode.SetEqualsNotArray, obj, expr, options, { nullable: false })!;
  return sets.every((set) => set.size === sets[0].size && set.values.every((v) => sets[0].has(v)));
}

/** `$sortArray` in BSON order: values by 1 / -1, documents by a sort pattern as `$sort` orders them. */
function $sortArray(obj: unknown, expr: unknown, options: MingoOptions): unknown {
  const spec = isPlainObject(expr) ? expr : {};
  const input = core.evalExpr(obj, spec.input, options);
  const sortBy = spec.sortBy;
  const strings = stringsOf(options);
  if (Array.isArray(input) && (sortBy === 1 || sortBy === -1)) {
    return input
      .map((v, i) => ({ v, i }))
      .sort((a, b) => sortBy * compareBson(a.v, b.v, strings) || a.i - b.i)
      .map((e) => e.v);
  }
  if (Array.isArray(input) && isPlainObject(sortBy) && input.every(isPlainObject)) {
    return sortDocuments(input, parseSort(sortBy), strings);
  }
  return mingoExpressions.$sortArray(obj, expr, options); // its null, argument checks and errors
}

/** The arguments of a variadic expression (a single expression is one argument). */
function expressionList(expr: unknown): unknown[] {
  return Array.isArray(expr) ? expr : [expr];
}

function $and(obj: unknown, expr: unknown, options: MingoOptions): boolean {
  return expressionList(expr).every((arg) => truthy(core.evalExpr(obj, arg, options)));
}

function $or(obj: unknown, expr: unknown, options: MingoOptions): boolean {
  return expressionList(expr).some((arg) => truthy(core.evalExpr(obj, arg, options)));
}

function $not(obj: unknown, expr: unknown, options: MingoOptions): boolean {
  const [value] = argumentsOf('$not', obj, expr, options, 1);
  return !truthy(value);
}

function $cond(obj: unknown, expr: unknown, options: MingoOptions): unknown {
  const spec = isPlainObject(expr) ? expr : {};
  const [test, then, otherwise] = Array.isArray(expr) ? expr : [spec.if, spec.then, spec.else];
  if (Array.isArray(expr) ? expr.length !== 3 : !('if' in spec && 'then' in spec && 'else' in spec)) {
    return mingoExpressions.$cond(obj, expr, options); // its argument errors
  }
  return core.evalExpr(obj, truthy(core.evalExpr(obj, test, options)) ? then : otherwise, options);
}

function $switch(obj: unknown, expr: unknown, options: MingoOptions): unknown {
  const spec = isPlainObject(expr) ? expr : {};
  const branches = spec.branches;
  if (!Array.isArray(branches) || !branches.every((b) => isPlainObject(b) && 'case' in b && 'then' in b)) {
    return mingoExpressions.$switch(obj, expr, options); // its argument errors
  }
  for (const branch of branches as Array<{ case: unknown; then: unknown }>) {
    if (truthy(core.evalExpr(obj, branch.case, options))) return core.evalExpr(obj, branch.then, options);
  }
  if ('default' in spec) return core.evalExpr(obj, spec.default, options);
  throw new ServerError(
    ErrorCode.SwitchNoMatch,
    '$switch could not find a matching branch for an input, and no default was specified.',
  );
}

/** `$filter`: the elements (up to `limit`) whose `cond`, as mingo's `$map` evaluates it with `as` bound, is true. */
function $filter(obj: unknown, expr: unknown, options: MingoOptions): unknown {
  const spec = isPlainObject(expr) ? expr : {};
  const input = core.evalExpr(obj, spec.input, options);
  const limit = spec.limit === undefined ? undefined : core.evalExpr(obj, spec.limit, options);
  const limited = limit === undefined || (typeof limit === 'number' && Number.isInteger(limit) && limit >= 1);
  if (!('cond' in spec) || !Array.isArray(input) || !limited) {
    return mingoExpressions.$filter(obj, expr, options); // its null, argument checks and errors
  }
  const map = { input: { $literal: input }, in: spec.cond, ...('as' in spec && { as: spec.as }) };
  const conds = core.evalExpr(obj, { $map: map }, options) as unknown[];
  const kept = input.filter((_, i) => truthy(conds[i]));
  return limit === undefined ? kept : kept.slice(0, limit as number);
}

/**
 * `$function` runs only a JavaScript function body, which no client can send (BSON carries code as
 * text): mingo's `$setWindowFields` computes its outputs through one. Code from a client is refused.
 */
function $function(obj: unknown, expr: unknown, options: MingoOptions): unknown {
  const spec = core.evalExpr(obj, expr, options) as { body?: unknown; args?: unknown } | null;
  if (typeof spec?.body !== 'function' || !Array.isArray(spec.args)) {
    throw new ServerError(ErrorCode.BadValue, "$function requires 'scriptEnabled' option to be true");
  }
  return (spec.body as (...args: unknown[]) => unknown)(...(spec.args as unknown[]));
}

/** `$anyElementTrue` / `$allElementsTrue` over the elements of their one array argument. */
function elementsTrue(name: '$anyElementTrue' | '$allElementsTrue') {
  return (obj: unknown, expr: unknown, options: MingoOptions) => {
    const [array] = argumentsOf(name, obj, expr, options, 1);
    if (!Array.isArray(array)) return mingoExpressions[name](obj, expr, options); // its argument errors
    return name === '$anyElementTrue' ? array.some(truthy) : array.every(truthy);
  };
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

/** `$addToSet` accumulator of the stages mingo runs: one of each set of values equal in BSON, the first. */
function $addToSetAccumulator(collection: unknown[], expr: unknown, options: MingoOptions): unknown[] {
  return new ValueSet(accumulators.$push(collection, expr, options), stringsOf(options)).values;
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
  $in,
  $indexOfArray,
  $setUnion,
  $setIntersection,
  $setDifference,
  $setIsSubset,
  $setEquals,
  $sortArray,
  $and,
  $or,
  $not,
  $cond,
  $switch,
  $filter,
  $function,
  $anyElementTrue: elementsTrue('$anyElementTrue'),
  $allElementsTrue: elementsTrue('$allElementsTrue'),
};

/** Every mingo operator, with the server's own versions first (mingo keeps the first it is given). */
const context = Context.from(
  Context.init({
    expression: serverExpressions as never,
    accumulator: {
      $max: extremeAccumulator(1),
      $min: extremeAccumulator(-1),
      $addToSet: $addToSetAccumulator,
    } as never,
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
