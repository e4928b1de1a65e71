import { badValue } from '../../errors';
import { isPlainObject, numericValue, setOwn } from '../bson-values';
import { Collation } from '../collation';
import { Doc, cloneValue, setPath, valuesAtPath } from '../documents';
import { encodeValue } from '../key-encoding';
import { runStages } from '../mingo';
import { Steps } from '../steps';
import { Accumulator, AccumulatorFactory, accumulatorFactory, compileExpression } from './accumulators';

/** What pipeline stages may use besides their input. */
export interface PipelineContext {
  collation: Collation | null;
  /** The raw collation, for the stages mingo runs. */
  rawCollation?: Doc;
  /** The current documents of a collection of the same database (for $lookup, $unionWith, $graphLookup). */
  resolve(name: string): Doc[];
}

const CHUNK = 512;

/** Appends without spreading (a spread of a large array overflows the call stack). */
function appendAll<T>(target: T[], items: T[]): void {
  for (const item of items) target.push(item);
}

/** Runs a streaming stage through mingo in chunks, with pause points, on copies of stored documents. */
export function* chunkedStage(docs: Doc[], stage: Doc, owned: boolean, ctx: PipelineContext): Steps<Doc[]> {
  const out: Doc[] = [];
  for (let i = 0; i < docs.length; i += CHUNK) {
    const chunk = docs.slice(i, i + CHUNK);
    const input = owned ? chunk : chunk.map(cloneValue);
    appendAll(out, runStages(input, [stage], { collation: ctx.rawCollation, collectionResolver: ctx.resolve }));
    yield;
  }
  return out;
}

/** A non-negative integer stage argument (`$skip`, `$limit`, `$sample.size`). */
export function count(value: unknown, stage: string, positive: boolean): number {
  const n = numericValue(value);
  if (n === null || !Number.isInteger(Number(n)) || Number(n) < (positive ? 1 : 0)) {
    throw badValue(`invalid argument to ${stage} stage: ${String(value)}`);
  }
  return Number(n);
}

/** `$group` computed here, accumulator by accumulator, as documents stream by (with pause points). */
function* nativeGroup(
  docs: Doc[],
  id: (doc: Doc) => unknown,
  fields: Array<[string, AccumulatorFactory]>,
  ctx: PipelineContext,
): Steps<Doc[]> {
  const groups = new Map<string, { id: unknown; accumulators: Accumulator[] }>();
  for (let i = 0; i < docs.length; i++) {
    const value = id(docs[i]) ?? null;
    const key = encodeValue(value, ctx.collation?.key);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { id: cloneValue(value), accumulators: fields.map(([, make]) => make()) }));
    for (const accumulator of group.accumulators) accumulator.add(docs[i]);
    if ((i & 1023) === 1023) yield;
  }
  const out: Doc[] = [];
  for (const group of groups.values()) {
    const doc: Doc = { _id: group.id };
    fields.forEach(([name], i) => setOwn(doc, name, group.accumulators[i].result()));
    out.push(doc);
  }
  return out;
}

/**
 * `$group`: the common accumulators ($sum, $avg, $min, $max, $first, $last, $push, $addToSet,
 * $count) are computed here as documents stream by; a spec with any other accumulator is
 * partitioned here and mingo computes a batch of whole groups at a time.
 */
export function* groupStage(docs: Doc[], spec: unknown, ctx: PipelineContext): Steps<Doc[]> {
  if (!isPlainObject(spec) || !('_id' in spec)) throw badValue('a group specification must include an _id');
  const id = compileExpression(spec._id, ctx.collation);
  const fields = Object.entries(spec)
    .filter(([name]) => name !== '_id')
    .map(([name, acc]) => [name, accumulatorFactory(acc, ctx.collation)] as const);
  if (fields.every((f): f is [string, AccumulatorFactory] => f[1] !== null)) {
    return yield* nativeGroup(docs, id, fields as Array<[string, AccumulatorFactory]>, ctx);
  }
  const groups = new Map<string, Doc[]>();
  for (let i = 0; i < docs.length; i++) {
    const key = encodeValue(id(docs[i]) ?? null, ctx.collation?.key);
    const members = groups.get(key);
    if (members) members.push(docs[i]);
    else groups.set(key, [docs[i]]);
    if ((i & 1023) === 1023) yield;
  }
  const out: Doc[] = [];
  let batch: Doc[] = [];
  const flush = () => {
    appendAll(out, runStages(batch, [{ $group: spec }], { collation: ctx.rawCollation }));
    batch = [];
  };
  for (const members of groups.values()) {
    appendAll(batch, members);
    if (batch.length >= 4096) {
      flush();
      yield;
    }
  }
  if (batch.length > 0) flush();
  return out;
}

/** `$lookup` with localField/foreignField: an equality join through a hash of the foreign keys. */
export function* lookupStage(docs: Doc[], spec: Doc, ctx: PipelineContext): Steps<Doc[]> {
  const { from, localField, foreignField, as } = spec;
  if (typeof from !== 'string' || typeof localField !== 'string' || typeof foreignField !== 'string') {
    throw badValue('$lookup requires from, localField and foreignField as strings');
  }
  if (typeof as !== 'string') throw badValue("must specify 'as' field for a $lookup");
  const strings = ctx.collation?.key;
  const byKey = new Map<string, number[]>();
  const foreign = ctx.resolve(from);
  for (let i = 0; i < foreign.length; i++) {
    for (const key of new Set(valuesAtPath(foreign[i], foreignField).map((v) => encodeValue(v, strings)))) {
      const list = byKey.get(key);
      if (list) list.push(i);
      else byKey.set(key, [i]);
    }
    if ((i & 1023) === 1023) yield;
  }
  const out: Doc[] = [];
  for (let i = 0; i < docs.length; i++) {
    const matched = new Set<number>();
    for (const v of valuesAtPath(docs[i], localField)) {
      for (const f of byKey.get(encodeValue(v, strings)) ?? []) matched.add(f);
    }
    const joined = cloneValue(docs[i]);
    // Joined documents come in the foreign collection's natural order.
    setPath(
      joined,
      as,
      [...matched].sort((a, b) => a - b).map((f) => cloneValue(foreign[f])),
    );
    out.push(joined);
    if ((i & 255) === 255) yield;
  }
  return out;
}
