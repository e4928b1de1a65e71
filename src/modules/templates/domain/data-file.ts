/**
 * `data.json` of a push template: a flat object of string templates (`{"journey": "{{journey.name}}"}`),
 * with each value's position so problems inside a value point into the JSON file.
 */
export interface DataEntry {
  key: string;
  value: string;
  /** Where the value's text starts (after the opening quote): 1-based line, 0-based column. */
  line: number;
  column: number;
}

export type DataFileResult = { entries: DataEntry[] } | { problem: { line: number; column: number; message: string } };

/**
 * Data keys FCM reserves: it refuses a whole message carrying one (INVALID_ARGUMENT), whatever the
 * device, so a template using one could never reach an FCM token.
 */
const FCM_RESERVED_KEYS = ['from', 'message_type'];
const FCM_RESERVED_PREFIXES = ['google', 'gcm'];
/** Data keys sit beside `aps` at the top of an APNs payload. */
const APNS_RESERVED_KEY = 'aps';
/** Delivery's own keys (`jc_notification_id`, `jc_open_token`, `jc_deep_link`) would overwrite a template's. */
const DELIVERY_PREFIX = 'jc_';

/** Why a provider would refuse (or delivery overwrite) a message's data key, or undefined when it is free. */
export function reservedDataKey(key: string): string | undefined {
  if (FCM_RESERVED_KEYS.includes(key) || FCM_RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix))) {
    return (
      `data key "${key}" is reserved by FCM, which refuses the whole message with it: rename it ` +
      `(${FCM_RESERVED_KEYS.join(', ')} and keys starting with ${FCM_RESERVED_PREFIXES.join(' or ')} are reserved)`
    );
  }
  if (key === APNS_RESERVED_KEY) return `data key "aps" would replace the alert of an APNs push: rename it`;
  if (key.startsWith(DELIVERY_PREFIX)) {
    return `data key "${key}" starts with ${DELIVERY_PREFIX}, which delivery keeps for its own keys: rename it`;
  }
  return undefined;
}

function position(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}

/** Parses a `data.json` file, or says where and why it is not a flat object of strings. */
export function parseDataFile(source: string): DataFileResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    return { problem: { ...position(source, at ? Number(at[1]) : 0), message: `invalid JSON: ${message}` } };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problem: { line: 1, column: 0, message: 'data.json must be an object of string values' } };
  }
  const offsets = new Map<string, number>();
  for (const match of source.matchAll(/"((?:[^"\\]|\\.)*)"\s*:\s*"/g)) {
    const key = JSON.parse(`"${match[1]}"`) as string;
    if (!offsets.has(key)) offsets.set(key, match.index + match[0].length);
  }
  const entries: DataEntry[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    const offset = offsets.get(key);
    if (typeof value !== 'string' || offset === undefined) {
      const where = offset === undefined ? { line: 1, column: 0 } : position(source, offset);
      return { problem: { ...where, message: `data value "${key}" must be a string (push data values are strings)` } };
    }
    entries.push({ key, value, ...position(source, offset) });
  }
  return { entries };
}
