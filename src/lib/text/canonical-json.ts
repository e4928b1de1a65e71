/** `value` with every object's keys in sorted order (dates kept), so equal content gives equal JSON. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** JSON of `value` whatever the order its objects' keys were written in: what a content hash is taken of. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}
