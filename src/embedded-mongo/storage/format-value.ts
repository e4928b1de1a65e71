import { isPlainObject } from './key-encoding';

/** Renders a value the way MongoDB prints keys in error messages (`"a"`, `ObjectId('...')`, `new Date(...)`). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (Array.isArray(value)) return `[ ${value.map(formatValue).join(', ')} ]`;
  if (isPlainObject(value)) {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ')} }`;
  }
  const type = (value as { _bsontype?: string })._bsontype;
  if (type === 'ObjectId') return `ObjectId('${String(value)}')`;
  return String(value);
}
