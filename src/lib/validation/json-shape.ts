import { FieldError, childPath } from './field-error';

/** Keys that could reach an object's prototype; refused anywhere in input rather than silently dropped. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deepest nesting accepted in a request body: above any document the API stores (MongoDB nests at
 * most 100 levels, and a stored event sits two levels into its batch), low enough that recursive
 * validators further on never come near the stack limit.
 */
export const MAX_BODY_DEPTH = 128;

/**
 * Half of a surrogate pair without its other half: valid JSON (`"\ud800"`) but no Unicode text, so it would be
 * stored as U+FFFD, and a replay of what was sent would then no longer match what was stored.
 */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

interface Found {
  /** Path segments from the problem up to the root (built on the way out, so only on failure). */
  segments: Array<string | number>;
  forbiddenKey?: string;
  loneSurrogate?: boolean;
}

// Recursion stops at maxDepth before descending, so hostile nesting costs at most maxDepth frames.
function scan(value: unknown, depth: number, maxDepth: number): Found | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? { segments: [], loneSurrogate: true } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > maxDepth) return { segments: [] };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = scan(value[i], depth + 1, maxDepth);
      if (found) {
        found.segments.push(i);
        return found;
      }
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return { segments: [key], forbiddenKey: key };
    if (LONE_SURROGATE.test(key)) return { segments: [key], loneSurrogate: true };
    const found = scan((value as Record<string, unknown>)[key], depth + 1, maxDepth);
    if (found) {
      found.segments.push(key);
      return found;
    }
  }
  return undefined;
}

/**
 * The first structural problem of parsed JSON: a forbidden key, a key or string that is not Unicode text (a lone
 * surrogate), or nesting deeper than `maxDepth`.
 */
export function findUnsafeShape(value: unknown, maxDepth = MAX_BODY_DEPTH): FieldError | undefined {
  const found = scan(value, 1, maxDepth);
  if (!found) return undefined;
  const field = found.segments.reduceRight<string>((path, segment) => childPath(path, segment), '');
  if (found.forbiddenKey) return { field, message: `${field}: the key "${found.forbiddenKey}" is not allowed` };
  if (found.loneSurrogate) {
    return { field, message: `${field || 'body'} must be Unicode text: a \\u escape leaves half a surrogate pair` };
  }
  return { field, message: `${field || 'body'} is nested more than ${maxDepth} levels deep` };
}
