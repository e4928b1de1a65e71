import { badValue } from '../../errors';
import { isPlainObject, numericValue } from '../bson-values';
import { Collation } from '../collation';
import { Doc, cloneValue, setPath, valuesAtPath } from '../documents';
import { encodeValue } from '../key-encoding';
import { evaluate, runStages } from '../mingo';
import { Steps } from '../steps';

/** What pipeline stages may use besides their input. */
export interface PipelineContext {
  collation: Collation | null;
  /** The raw collation, for the stages mingo runs. */
  rawCollation?: Doc;
  /** The current documents of a collection of the same database (for $lookup, $unionWith, $graphLookup). */
  resolve(name: string): Doc[];
}

const CHUNK = 512;

/** Runs a streaming stage through mingo in chunks, with pause points, on copies of stored documents. */
export function* chunkedStage(docs: Doc[], stage: Doc, owned: boolean, ctx: PipelineContext): Steps<Doc[]> {
  const out: Doc[] = [];
  for (let i = 0; i < docs.length; i += CHUNK) {
    const chunk = docs.slice(i, i + CHUNK);
    const input = owned ? chunk : chunk.map(cloneValue);
    out.push(...runStages(input, [stage], { collation: ctx.rawCollation, collectionResolver: ctx.resolve }));
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

/**
 * `$group`: documents are partitioned by their `_id` key here (with pause points), then mingo
 * computes the accumulators for a batch of whole groups at a time.
 */
export function* groupStage(docs: Doc[], spec: unknown, ctx: PipelineContext): Steps<Doc[]> {
  if (!isPlainObject(spec) || !('_id' in spec)) throw badValue('a group specification must include an _id');
  const groups = new Map<string, Doc[]>();
  for (let i = 0; i < docs.length; i++) {
    const id = evaluate(docs[i], spec._id);
    const key = encodeValue(id ?? null, ctx.collation?.key);
    const members = groups.get(key);
    if (members) members.push(docs[i]);
    else groups.set(key, [docs[i]]);
    if ((i & 1023) === 1023) yield;
  }
  const out: Doc[] = [];
  let batch: Doc[] = [];
  const flush = () => {
    out.push(...runStages(batch, [{ $group: spec }], { collation: ctx.rawCollation }));
    batch = [];
  };
  for (const members of groups.values()) {
    batch.push(...members);
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
