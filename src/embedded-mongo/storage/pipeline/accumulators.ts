import { isPlainObject, numericValue, own, setOwn } from '../bson-values';
import { Collation } from '../collation';
import { StringCompare, compareBson } from '../compare';
import { Doc, cloneValue } from '../documents';
import { encodeValue } from '../key-encoding';
import { evaluate } from '../mingo';
import { arithmetic } from '../update/numeric';

/** One accumulator of one group: it sees the group's documents one at a time. */
export interface Accumulator {
  add(doc: Doc): void;
  result(): unknown;
}

export type AccumulatorFactory = () => Accumulator;

const NOT_EVALUATED = Symbol('not evaluated');

/** A `$a.b.c` path read directly while it crosses only sub-documents; NOT_EVALUATED when it must fan out over an array. */
function pathReader(path: string): (doc: Doc) => unknown {
  const parts = path.split('.');
  return (doc) => {
    let current: unknown = doc;
    for (const part of parts) {
      if (Array.isArray(current)) return NOT_EVALUATED;
      if (!isPlainObject(current)) return undefined;
      current = own(current, part);
    }
    return current;
  };
}

/**
 * Field paths (`$a`, `$a.b`) and documents of field paths (a compound `$group` key such as
 * `{ locale: '$locale', consent: '$consent.push' }`) are read directly; a path that meets an array,
 * and any other expression, goes through the evaluator. A missing member is left out, as in MongoDB.
 */
export function compileExpression(expr: unknown, collation?: Collation | null): (doc: Doc) => unknown {
  if (typeof expr === 'string' && /^\$[^$]+$/.test(expr) && !expr.includes('..') && !expr.endsWith('.')) {
    const read = pathReader(expr.slice(1));
    return (doc) => {
      const value = read(doc);
      return value === NOT_EVALUATED ? evaluate(doc, expr, collation) : value;
    };
  }
  const members = isPlainObject(expr) ? Object.entries(expr) : [];
  if (
    members.length > 0 &&
    members.every(([k, v]) => !k.startsWith('$') && typeof v === 'string' && v.startsWith('$'))
  ) {
    const readers = members.map(([k, v]) => [k, compileExpression(v, collation)] as const);
    return (doc) => {
      const out: Doc = {};
      for (const [key, read] of readers) {
        const value = read(doc);
        if (value !== undefined) setOwn(out, key, value);
      }
      return out;
    };
  }
  if (typeof expr !== 'string' && !isPlainObject(expr) && !Array.isArray(expr)) return () => expr;
  if (typeof expr === 'string' && !expr.startsWith('$')) return () => expr;
  return (doc) => evaluate(doc, expr, collation);
}

function sum(values: (doc: Doc) => unknown): Accumulator & { count: number; total: unknown } {
  return {
    count: 0,
    total: 0,
    add(doc) {
      const v = values(doc);
      if (numericValue(v) === null) return;
      this.total = arithmetic('$inc', this.total, v);
      this.count++;
    },
    result() {
      return this.total;
    },
  };
}

function extreme(values: (doc: Doc) => unknown, sign: 1 | -1, strings?: StringCompare): Accumulator {
  let best: unknown;
  return {
    add(doc) {
      const v = values(doc);
      if (v === null || v === undefined) return; // $min and $max skip null and missing
      if (best === undefined || sign * compareBson(v, best, strings) > 0) best = v;
    },
    result: () => best ?? null,
  };
}

/**
 * Accumulators computed as documents stream by, in MongoDB's semantics ($sum of int64 stays int64,
 * $min/$max in BSON order, $addToSet by BSON equality). Null when the spec uses one this module
 * does not implement: the caller then hands the group to mingo.
 */
export function accumulatorFactory(spec: unknown, collation?: Collation | null): AccumulatorFactory | null {
  if (!isPlainObject(spec) || Object.keys(spec).length !== 1) return null;
  const [op, arg] = Object.entries(spec)[0];
  const values = compileExpression(arg, collation);
  const strings = collation?.compare;
  const keys = collation?.key;
  switch (op) {
    case '$sum':
      return () => sum(values);
    case '$count':
      return () => sum(() => 1);
    case '$avg':
      return () => {
        const s = sum(values);
        return { add: (doc) => s.add(doc), result: () => (s.count === 0 ? null : Number(s.total) / s.count) };
      };
    case '$min':
      return () => extreme(values, -1, strings);
    case '$max':
      return () => extreme(values, 1, strings);
    case '$first':
    case '$last': {
      return () => {
        let seen = false;
        let value: unknown = null;
        return {
          add(doc) {
            if (op === '$first' && seen) return;
            seen = true;
            value = values(doc) ?? null;
          },
          result: () => cloneValue(value),
        };
      };
    }
    case '$push':
    case '$addToSet':
      return () => {
        const items: unknown[] = [];
        const seen = new Set<string>();
        return {
          add(doc) {
            const v = values(doc);
            if (v === undefined) return;
            if (op === '$addToSet') {
              const key = encodeValue(v, keys);
              if (seen.has(key)) return;
              seen.add(key);
            }
            items.push(cloneValue(v));
          },
          result: () => items,
        };
      };
    default:
      return null;
  }
}
