/** One problem with one input field; `field` is its path in the input, such as `events[3].item.title`. */
export interface FieldError {
  field: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of a child field: `a.b` for identifier-like keys, `a[2]` for indexes, `a["x.y"]` for any other key. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}
