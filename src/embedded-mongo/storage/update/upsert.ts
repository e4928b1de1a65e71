import { ErrorCode, ServerError } from '../../errors';
import { isPlainObject } from '../bson-values';
import { bsonEqual, bsonIdentical } from '../compare';
import { Doc, cloneValue, setPath, withIdFirst } from '../documents';
import { formatValue } from '../format-value';
import { UpdateOptions, UpdateSpec, applyUpdate, isOperatorUpdate } from './apply-update';

/** The one value an `$in` holds (repeats counted once), which MongoDB treats as an equality; else undefined. */
function singleInValue(list: unknown): { value: unknown } | undefined {
  if (!Array.isArray(list) || list.length === 0 || list.some((v) => v instanceof RegExp)) return undefined;
  return list.every((v) => bsonEqual(v, list[0])) ? { value: list[0] } : undefined;
}

function collectEqualities(filter: Doc, seed: Doc): void {
  for (const [field, condition] of Object.entries(filter)) {
    // An $or of one branch is that branch, as MongoDB simplifies it before taking equalities.
    if ((field === '$and' || field === '$or') && Array.isArray(condition)) {
      if (field === '$or' && condition.length !== 1) continue;
      for (const branch of condition) if (isPlainObject(branch)) collectEqualities(branch, seed);
    } else if (!field.startsWith('$')) {
      const operators = isPlainObject(condition) && Object.keys(condition)[0]?.startsWith('$');
      if (!operators && !(condition instanceof RegExp)) setPath(seed, field, cloneValue(condition));
      else if (operators && '$eq' in (condition as Doc)) setPath(seed, field, cloneValue((condition as Doc).$eq));
      else if (operators) {
        const single = singleInValue((condition as Doc).$in);
        if (single) setPath(seed, field, cloneValue(single.value));
      }
    }
  }
}

/** The document an upsert inserts: query equalities, then the update (with `$setOnInsert`), `_id` first. */
export function buildUpsert(query: Doc, u: UpdateSpec, options: UpdateOptions = {}): Doc {
  const seed: Doc = {};
  collectEqualities(query, seed);
  if (!Array.isArray(u) && !isOperatorUpdate(u)) {
    const doc = cloneValue(u);
    if (doc._id === undefined && seed._id !== undefined) doc._id = seed._id;
    if (seed._id !== undefined && !bsonIdentical(doc._id, seed._id)) {
      throw new ServerError(
        ErrorCode.ImmutableField,
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(doc._id)}`,
      );
    }
    return withIdFirst(doc);
  }
  const { doc } = applyUpdate(seed, u, { ...options, inserting: true, query: {} });
  return withIdFirst(doc);
}
