/**
 * Unicode bidi controls: the embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and
 * the marks (LRM, RLM, ALM). In a value they reorder the text around it where it is printed (a name
 * ending in U+202E shows the rest of a subject backwards), so values lose them before a render; the
 * template's own text, and what helpers format (dates in Arabic carry RLM), keep theirs.
 */
const BIDI_CONTROL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const BIDI_CONTROLS = new RegExp(BIDI_CONTROL.source, 'g');

const isPlain = (value: object) => {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

/** `text` without bidi controls. */
export function stripBidiControls(text: string): string {
  return BIDI_CONTROL.test(text) ? text.replace(BIDI_CONTROLS, '') : text;
}

/**
 * A render context whose strings, in plain objects and arrays at any depth, hold no bidi controls. What
 * has none is returned as it is, so a clean context (the usual one) is not copied.
 */
export function withoutBidiControls<T>(value: T): T {
  // Rendered per recipient: a scan that allocates nothing settles the usual clean context.
  return mayHoldBidiControls(value, 0, { left: SCAN_BUDGET }) ? (strip(value, new Map()) as T) : value;
}

// Deeper, or more objects and arrays, than any render context holds; past either (a cycle, shared parts
// reached many times) the scan gives up and the copying walk, which visits each once, decides.
const SCAN_DEPTH = 32;
const SCAN_BUDGET = 10_000;

/** Whether a string of `value` holds a bidi control, or the value is too deep or too large to tell without the copying walk. */
function mayHoldBidiControls(value: unknown, depth: number, budget: { left: number }): boolean {
  if (typeof value === 'string') return BIDI_CONTROL.test(value);
  if (value === null || typeof value !== 'object' || !(Array.isArray(value) || isPlain(value))) return false;
  if (depth >= SCAN_DEPTH || --budget.left < 0) return true;
  if (Array.isArray(value)) return value.some((item) => mayHoldBidiControls(item, depth + 1, budget));
  for (const key in value) {
    if (Object.hasOwn(value, key) && mayHoldBidiControls((value as Record<string, unknown>)[key], depth + 1, budget)) {
      return true;
    }
  }
  return false;
}

function strip(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string') return stripBidiControls(value);
  if (value === null || typeof value !== 'object' || !(Array.isArray(value) || isPlain(value))) return value;
  if (seen.has(value)) return seen.get(value);
  seen.set(value, value);
  const copy = Array.isArray(value) ? stripItems(value as unknown[], seen) : stripFields(value, seen);
  if (copy) seen.set(value, copy);
  return copy ?? value;
}

/** A copy of the array with its items cleaned, or undefined when none changed. */
function stripItems(items: unknown[], seen: Map<object, unknown>): unknown[] | undefined {
  let copy: unknown[] | undefined;
  items.forEach((item, i) => {
    const clean = strip(item, seen);
    if (clean !== item) (copy ??= [...items])[i] = clean;
  });
  return copy;
}

/** A shallow copy with the same prototype, so a null one stays null. */
function sameKind(value: object): Record<string, unknown> {
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  return Object.assign(copy, value);
}

/** A copy of the object (same prototype, so a null one stays null) with its fields cleaned, or undefined. */
function stripFields(value: object, seen: Map<object, unknown>): object | undefined {
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(value)) {
    const clean = strip(item, seen);
    if (clean === item) continue;
    copy ??= sameKind(value);
    copy[key] = clean;
  }
  return copy;
}
