import { FieldError, childPath } from './field-error';

/** Keys that could reach an object's prototype; refused anywhere in input rather than silently dropped. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Deepest nesting accepted in a request body: above any document the API stores (MongoDB nests at
 * most 100 levels, and a stored event sits two levels into its batch), low enough that recursive
 * validators further on never come near the stack limit.
 */
export const MAX_BODY_DEPTH = 128;

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

/**
 * The first structural problem of parsed JSON: a forbidden key, or nesting deeper than `maxDepth`.
 * Iterative, so hostile nesting costs a loop, never the call stack.
 */
export function findUnsafeShape(value: unknown, maxDepth = MAX_BODY_DEPTH): FieldError | undefined {
  const pending: Pending[] = [{ value, path: '', depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path, depth } = next;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > maxDepth) {
      return { field: path, message: `${path || 'body'} is nested more than ${maxDepth} levels deep` };
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        pending.push({ value: current[i], path: childPath(path, i), depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(current);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const field = childPath(path, key);
      if (FORBIDDEN_KEYS.has(key)) return { field, message: `${field}: the key "${key}" is not allowed` };
      pending.push({ value: (current as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}
