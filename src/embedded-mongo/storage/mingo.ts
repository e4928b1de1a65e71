/**
 * The one place mingo (aggregation expressions and stages) is reached. Server-side JavaScript
 * ($where, $function, $accumulator) is off: any TCP client could otherwise run code in this process.
 * Matching, projection, updates and sorting are the server's own; mingo evaluates expressions and
 * runs the aggregation stages the server does not implement itself.
 */
import { Aggregator as MingoAggregator, Context, aggregate } from 'mingo';
import { ErrorCode, ServerError } from '../errors';
import { isPlainObject } from './bson-values';
import { Doc } from './documents';
import { typeName } from './update/field-target';

interface MingoCore {
  evalExpr(obj: unknown, expr: unknown, options: object): unknown;
}

/* eslint-disable @typescript-eslint/no-require-imports -- these entry points are exported without node10 typings */
const core = require('mingo/core') as MingoCore;

/** `$size` as MongoDB has it: a missing or non-array argument fails the command (mingo answers null). */
function $size(obj: unknown, expr: unknown, options: object): number {
  const value = core.evalExpr(obj, expr, options);
  if (Array.isArray(value)) return value.length;
  const type = value === undefined ? 'missing' : typeName(value);
  throw new ServerError(ErrorCode.SizeNotArray, `The argument to $size must be an array. Type of value: ${type}`);
}

/** Every mingo operator, with the server's own versions first (mingo keeps the first it is given). */
const context = Context.from(
  Context.init({ expression: { $size } as never }),
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

type Collation = NonNullable<Parameters<typeof aggregate>[2]>['collation'];

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
    collation: options.collation as unknown as Collation,
    collectionResolver: options.collectionResolver
      ? (name: string) => options.collectionResolver!(name).map(withoutBigInts) as Doc[]
      : undefined,
  }).run(docs.map(withoutBigInts) as Doc[]) as Doc[];
}

/** Evaluates an aggregation expression against a document (`$$ROOT` is the document). */
export function evaluate(doc: unknown, expr: unknown): unknown {
  return core.evalExpr(withoutBigInts(doc), expr, { scriptEnabled: false, context });
}
