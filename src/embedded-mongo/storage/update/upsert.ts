import { ErrorCode, ServerError } from '../../errors';
import { isPlainObject } from '../bson-values';
import { bsonIdentical } from '../compare';
import { Doc, cloneValue, setPath, withIdFirst } from '../documents';
import { formatValue } from '../format-value';
import { UpdateOptions, UpdateSpec, applyUpdate, isOperatorUpdate } from './apply-update';

function collectEqualities(filter: Doc, seed: Doc): void {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const branch of condition) if (isPlainObject(branch)) collectEqualities(branch, seed);
    } else if (!field.startsWith('$')) {
      const operators = isPlainObject(condition) && Object.keys(condition)[0]?.startsWith('$');
      if (!operators && !(condition instanceof RegExp)) setPath(seed, field, cloneValue(condition));
      else if (operators && '$eq' in (condition as Doc)) setPath(seed, field, cloneValue((condition as Doc).$eq));
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
