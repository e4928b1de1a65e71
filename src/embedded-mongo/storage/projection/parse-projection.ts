import { ErrorCode, ServerError, badValue } from '../../errors';
import { bsonClass, isPlainObject, numericValue } from '../bson-values';
import { Doc } from '../documents';

/** A find projection, classified: which paths to keep or drop, and the special operators. */
export interface ProjectionSpec {
  mode: 'inclusion' | 'exclusion';
  /** Paths kept whole (inclusion) or removed (exclusion), `_id` handled separately. */
  paths: string[];
  excludeId: boolean;
  slices: Array<{ path: string; skip: number; limit: number | null }>;
  elemMatches: Array<{ field: string; condition: Doc }>;
  positional: string | null;
  computed: Array<{ path: string; expr: unknown }>;
}

/** `{ a: { b: 1 } }` is `{ 'a.b': 1 }`; operator objects (`$slice`, expressions) stay whole. */
function flatten(spec: Doc, prefix = '', out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  for (const [key, value] of Object.entries(spec)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(value) && Object.keys(value).length > 0 && !Object.keys(value)[0].startsWith('$')) {
      flatten(value, path, out);
    } else {
      out.push([path, value]);
    }
  }
  return out;
}

function sliceArgs(path: string, arg: unknown): { path: string; skip: number; limit: number | null } {
  if (Array.isArray(arg)) {
    if (arg.length !== 2) throw badValue('$slice array argument must be of length 2');
    const [skip, limit] = arg.map((v) => numericValue(v));
    if (skip === null || limit === null) throw badValue('$slice array elements must be numbers');
    if (Number(limit) <= 0) {
      throw new ServerError(ErrorCode.SliceLimitNotPositive, 'Second argument to $slice must be a positive number');
    }
    return { path, skip: Math.trunc(Number(skip)), limit: Math.trunc(Number(limit)) };
  }
  const n = numericValue(arg);
  if (n === null) throw badValue('$slice only supports numbers and [skip, limit] arrays');
  return { path, skip: 0, limit: Math.trunc(Number(n)) };
}

function checkCollisions(paths: string[]): void {
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1] || sorted[i].startsWith(`${sorted[i - 1]}.`)) {
      throw new ServerError(
        ErrorCode.ProjectionPathCollision,
        `Path collision at ${sorted[i]} remaining portion ${sorted[i].slice(sorted[i - 1].length + 1) || sorted[i]}`,
      );
    }
  }
}

function isFlag(value: unknown): boolean {
  return typeof value === 'boolean' || numericValue(value) !== null;
}

/** Parses and validates a find projection; null when it keeps every field. */
export function parseProjection(raw: Doc | undefined): ProjectionSpec | null {
  if (!raw || Object.keys(raw).length === 0) return null;
  const spec: ProjectionSpec = {
    mode: 'exclusion',
    paths: [],
    excludeId: false,
    slices: [],
    elemMatches: [],
    positional: null,
    computed: [],
  };
  let decided: 'inclusion' | 'exclusion' | null = null;
  const decide = (mode: 'inclusion' | 'exclusion', path: string) => {
    if (decided && decided !== mode) {
      throw new ServerError(
        mode === 'exclusion' ? ErrorCode.ProjectionExclusionInInclusion : ErrorCode.ProjectionInclusionInExclusion,
        `Cannot do ${mode} on field ${path} in ${decided} projection`,
      );
    }
    decided = mode;
  };
  const allPaths: string[] = [];
  for (const [path, value] of flatten(raw)) {
    if (path.split('.').some((part) => part.length === 0)) {
      throw badValue(`FieldPath must not contain empty parts: ${path}`);
    }
    if (path.endsWith('.$')) {
      if (spec.positional) throw badValue('Cannot specify more than one positional projection per query.');
      spec.positional = path.slice(0, -2);
      decide('inclusion', path);
      allPaths.push(spec.positional);
      continue;
    }
    if (path.split('.').some((part) => part.startsWith('$'))) {
      throw badValue(`FieldPath field names may not start with '$'. Consider using $getField or $setField.`);
    }
    allPaths.push(path);
    const operator = isPlainObject(value) ? Object.keys(value)[0] : undefined;
    if (operator === '$slice') spec.slices.push(sliceArgs(path, (value as Doc).$slice));
    else if (operator === '$elemMatch') {
      if (path.includes('.')) throw badValue('Cannot use $elemMatch projection on a nested field.');
      if (!isPlainObject((value as Doc).$elemMatch)) throw badValue('elemMatch: Invalid argument, object required.');
      spec.elemMatches.push({ field: path, condition: (value as Doc).$elemMatch as Doc });
    } else if (operator === '$meta') {
      throw new ServerError(ErrorCode.NotImplemented, '$meta projections are not supported by the embedded server');
    } else if (isFlag(value) && bsonClass(value) !== 'Decimal128') {
      const include = typeof value === 'boolean' ? value : Number(numericValue(value)) !== 0;
      if (path === '_id') spec.excludeId = !include;
      else {
        decide(include ? 'inclusion' : 'exclusion', path);
        spec.paths.push(path);
      }
    } else {
      decide('inclusion', path);
      spec.computed.push({ path, expr: value });
    }
  }
  checkCollisions(allPaths);
  if (decided === 'exclusion' && spec.positional) throw badValue('positional projection cannot be used with exclusion');
  // `$slice` alone, or with exclusions, keeps every other field; `$elemMatch` or `_id: 1` alone keep only themselves.
  const idIncluded = raw._id !== undefined && !spec.excludeId;
  spec.mode = decided ?? (spec.elemMatches.length > 0 || idIncluded ? 'inclusion' : 'exclusion');
  return spec;
}
