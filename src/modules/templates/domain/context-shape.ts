import { ContextShape } from '../template.types';

export type Resolution = { shape: ContextShape } | { problem: string };

/** Edit distance counting a swap of neighbours as one edit (`nmae` → `name`), for "did you mean" hints. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i || j));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** The known name closest to `name`, when it is close enough to be a likely typo. */
export function suggestion(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** A sentence describing a shape, for messages: "a value", "a list", "an object". */
export function describeShape(shape: ContextShape): string {
  if (shape === 'value') return 'a value';
  if (shape === '*') return 'free-form';
  return Array.isArray(shape) ? 'a list' : 'an object';
}

/**
 * Follows `parts` from `shape`: object fields by name, `length` and numeric indices on lists,
 * anything below `*`. Says what is wrong at the first segment that does not exist.
 */
export function resolvePath(shape: ContextShape, parts: readonly string[], prefix: readonly string[] = []): Resolution {
  let current = shape;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const owner = [...prefix, ...parts.slice(0, i)].join('.') || 'the context';
    if (current === '*') return { shape: '*' };
    if (current === 'value') return { problem: `${owner} is a value and has no field "${part}"` };
    if (Array.isArray(current)) {
      if (part === 'length') current = 'value';
      else if (/^\d+$/.test(part)) current = (current as readonly [ContextShape])[0];
      else return { problem: `${owner} is a list: go through it with {{#each ${owner}}}` };
      continue;
    }
    const fields = current as { readonly [name: string]: ContextShape };
    if (!Object.hasOwn(fields, part)) {
      const close = suggestion(part, Object.keys(fields));
      const hint = close ? ` (did you mean "${close}"?)` : '';
      return { problem: `${owner} has no field "${part}"${hint}` };
    }
    current = fields[part];
  }
  return { shape: current };
}

/** The shape of each element when a template goes through `shape` with `{{#each}}`, or a problem. */
export function elementShape(shape: ContextShape): Resolution {
  if (shape === '*') return { shape: '*' };
  if (shape === 'value') return { problem: 'is a value, not a list' };
  if (Array.isArray(shape)) return { shape: (shape as readonly [ContextShape])[0] };
  // Going through an object visits its values, whose shapes may differ: check them loosely.
  return { shape: '*' };
}
