/**
 * The one place mingo (aggregation expressions and stages) is reached. Server-side JavaScript
 * ($where, $function, $accumulator) is off: any TCP client could otherwise run code in this process.
 * Matching, projection, updates and sorting are the server's own; mingo evaluates expressions and
 * runs the aggregation stages the server does not implement itself.
 */
import { Context, aggregate } from 'mingo';
import { isPlainObject } from './bson-values';
import { Doc } from './documents';

interface MingoCore {
  evalExpr(obj: unknown, expr: unknown, options: object): unknown;
}

/* eslint-disable @typescript-eslint/no-require-imports -- these entry points are exported without node10 typings */
const core = require('mingo/core') as MingoCore;
const context = Context.init({
  expression: require('mingo/operators/expression') as never,
  accumulator: require('mingo/operators/accumulator') as never,
});
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
  return aggregate(docs.map(withoutBigInts) as Doc[], stages, {
    scriptEnabled: false,
    collation: options.collation as unknown as Collation,
    collectionResolver: options.collectionResolver
      ? (name: string) => options.collectionResolver!(name).map(withoutBigInts) as Doc[]
      : undefined,
  }) as Doc[];
}

/** Evaluates an aggregation expression against a document (`$$ROOT` is the document). */
export function evaluate(doc: unknown, expr: unknown): unknown {
  return core.evalExpr(withoutBigInts(doc), expr, { scriptEnabled: false, context });
}
