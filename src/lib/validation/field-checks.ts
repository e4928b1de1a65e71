import { parseIsoInstant } from '../time/iso-instant';
import { FieldError } from './field-error';

/** Whether `value` is a JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reports every key of `value` outside `known` by name (`<prefix><key> is not a known <noun> field`),
 * so a client's typo never loses data silently.
 */
export function checkKnownFields(
  errors: FieldError[],
  value: Record<string, unknown>,
  known: ReadonlySet<string>,
  noun: string,
  prefix = '',
): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      errors.push({ field: `${prefix}${key}`, message: `${prefix}${key} is not a known ${noun} field` });
    }
  }
}

/**
 * A string of at most `max` characters (non-blank when required), or undefined after reporting why not. An
 * optional field may be left out; sent as `null` it is refused like any other non-string, unless `nullAsAbsent`.
 */
export function checkString(
  errors: FieldError[],
  field: string,
  value: unknown,
  opts: { required: boolean; max: number; nullAsAbsent?: boolean },
): string | undefined {
  if (value === undefined || (value === null && (opts.required || opts.nullAsAbsent))) {
    if (opts.required) errors.push({ field, message: `${field} is required` });
    return undefined;
  }
  if (typeof value !== 'string') {
    errors.push({ field, message: `${field} must be a string` });
    return undefined;
  }
  if (opts.required && value.trim().length === 0) {
    errors.push({ field, message: `${field} must not be empty` });
    return undefined;
  }
  if (value.length > opts.max) {
    errors.push({ field, message: `${field} must be at most ${opts.max} characters` });
    return undefined;
  }
  return value;
}

/**
 * A user id, required: a string of at most `max` characters, not blank, without control characters. As in
 * profile paths: an id with a NUL or a line break is a client's bug, and no profile could match it.
 */
export function checkUserId(errors: FieldError[], field: string, value: unknown, max: number): string | undefined {
  const userId = checkString(errors, field, value, { required: true, max });
  // eslint-disable-next-line no-control-regex
  if (userId === undefined || !/[\u0000-\u001f\u007f]/.test(userId)) return userId;
  errors.push({ field, message: `${field} must not contain control characters` });
  return undefined;
}

/**
 * An ISO-8601 instant with a time zone, at most `futureSkewMs` after `now` and, with `notBefore`, not before that
 * instant. Required unless `optional`: then left out it is undefined, and `null` is refused as no instant.
 */
export function checkInstant(
  errors: FieldError[],
  field: string,
  value: unknown,
  now: Date,
  futureSkewMs: number,
  opts: { optional?: boolean; notBefore?: Date } = {},
): Date | undefined {
  if (value === undefined && opts.optional) return undefined;
  if (!opts.optional && (value === undefined || value === null)) {
    errors.push({ field, message: `${field} is required` });
    return undefined;
  }
  const date = typeof value === 'string' ? parseIsoInstant(value) : undefined;
  if (!date) {
    errors.push({ field, message: `${field} must be a valid ISO-8601 timestamp with a time zone` });
    return undefined;
  }
  if (date.getTime() > now.getTime() + futureSkewMs) {
    errors.push({ field, message: `${field} must not be more than ${futureSkewMs / 60_000} minutes in the future` });
    return undefined;
  }
  if (opts.notBefore && date.getTime() < opts.notBefore.getTime()) {
    errors.push({
      field,
      message: `${field} must not be before ${opts.notBefore.toISOString().replace('.000Z', 'Z')}`,
    });
    return undefined;
  }
  return date;
}
