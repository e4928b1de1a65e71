import { FieldError, childPath } from './field-error';
import { FORBIDDEN_KEYS } from './json-shape';

/** MongoDB stores documents nested at most 100 levels deep (the document itself is level 1). */
export const MAX_DOCUMENT_DEPTH = 100;

export interface FreeFormRules {
  /** Level of the free-form object inside its stored document: an event's `properties` is level 2. */
  level: number;
  /** Whether values may be objects and arrays (properties) or only scalars (attributes). */
  nested: boolean;
  /** Largest size, counted as the characters of keys and strings plus 8 per other value (arrays and objects too). */
  maxSize: number;
  /** Most keys at the top level. */
  maxKeys?: number;
  /** Longest key. */
  maxKeyLength?: number;
  /** Longest string value. */
  maxStringLength?: number;
}

const MAX_ERRORS = 20;

/** Why a key cannot be stored as a MongoDB field name (or could reach a prototype), or undefined. */
export function keyProblem(key: string, maxLength = Infinity): string | undefined {
  if (key.length === 0) return 'an empty key is not allowed';
  if (FORBIDDEN_KEYS.has(key)) return `the key "${key}" is not allowed`;
  if (key.includes('\u0000')) return 'keys must not contain NUL characters';
  if (key.startsWith('$')) return 'keys must not start with "$"';
  if (key.includes('.')) return 'keys must not contain "."';
  // The BSON serializer reads an object with this key as one of its own types and refuses to store it.
  if (key === '_bsontype') return 'the key "_bsontype" is not allowed';
  if (key.length > maxLength) return `keys must be at most ${maxLength} characters`;
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarProblem(value: unknown, rules: FreeFormRules): string | undefined {
  if (typeof value === 'number' && !Number.isFinite(value)) return 'must be a finite number';
  if (typeof value === 'string' && rules.maxStringLength !== undefined && value.length > rules.maxStringLength) {
    return `must be at most ${rules.maxStringLength} characters`;
  }
  const scalar = value === null || ['string', 'number', 'boolean'].includes(typeof value);
  if (!scalar && !rules.nested) return 'must be a string, number, boolean or null';
  return undefined;
}

/**
 * Checks a free-form object (event `properties`, user `attributes`) against what MongoDB stores
 * faithfully: field names without NUL, leading "$" or ".", finite numbers, bounded depth and size.
 * Iterative, so depth is bounded before anything recurses. Lists up to 20 problems by field path.
 */
export function freeFormErrors(value: unknown, field: string, rules: FreeFormRules): FieldError[] {
  if (!isPlainObject(value)) return [{ field, message: `${field} must be an object` }];
  const errors: FieldError[] = [];
  const maxLevel = MAX_DOCUMENT_DEPTH - rules.level + 1;
  if (rules.maxKeys !== undefined && Object.keys(value).length > rules.maxKeys) {
    errors.push({ field, message: `${field} must have at most ${rules.maxKeys} keys` });
  }
  let size = 0;
  const pending: Array<{ value: unknown; path: string; level: number }> = [{ value, path: field, level: 1 }];
  for (let next = pending.pop(); next && errors.length < MAX_ERRORS; next = pending.pop()) {
    const { value: current, path, level } = next;
    if (typeof current !== 'object' || current === null) {
      size += typeof current === 'string' ? current.length : 8;
      const problem = scalarProblem(current, rules);
      if (problem) errors.push({ field: path, message: `${path} ${problem}` });
      continue;
    }
    if (level > maxLevel) {
      errors.push({ field, message: `${field} must be nested at most ${maxLevel} levels deep` });
      break;
    }
    // An array or object inside is a value too: counted as nothing, empty ones would store megabytes within the bound.
    if (level > 1) size += 8;
    if (path !== field && !rules.nested) {
      errors.push({ field: path, message: `${path} must be a string, number, boolean or null` });
      continue;
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(current)
      ? current.map((entry, i) => [i, entry])
      : Object.entries(current);
    const children: typeof pending = [];
    for (const [key, entry] of entries) {
      const entryPath = childPath(path, key);
      const problem = typeof key === 'string' ? keyProblem(key, rules.maxKeyLength) : undefined;
      if (typeof key === 'string') size += key.length;
      if (problem) errors.push({ field: entryPath, message: `${entryPath}: ${problem}` });
      else children.push({ value: entry, path: entryPath, level: level + 1 });
    }
    // Reversed, so fields are checked (and reported) in document order.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    if (size > rules.maxSize) break;
  }
  if (size > rules.maxSize) {
    errors.push({ field, message: `${field} must hold at most ${rules.maxSize} characters of keys and values` });
  }
  return errors;
}
