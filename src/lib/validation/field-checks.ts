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

/** The longest user id, in UTF-16 code units (an emoji counts as two), wherever one is taken. */
export const USER_ID_MAX_LENGTH = 256;

/**
 * A character a reader sees: neither white space nor an invisible one (format characters such as U+200B or
 * U+FEFF, and the other default-ignorable ones, such as U+3164). Inside an id they may belong to its text (the
 * joiner of 👩‍💻, the non-joiner of Persian words); an id of nothing else shows as blank.
 */
const VISIBLE = /[^\p{White_Space}\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/**
 * What breaks a line or a record where an id is shown: the C0 and C1 control characters (NUL, BEL, the line
 * feed, NEL U+0085), DEL, and the line and paragraph separators U+2028 and U+2029, which JavaScript, editors
 * and log viewers read as line breaks.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// What earlier versions refused in a user id: one stored with another of CONTROL can still be read and erased.
// eslint-disable-next-line no-control-regex
const C0_CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why `value` is no user id, or undefined: the one rule of events, conversions, profiles and imports. A user id
 * is a string of 1 to USER_ID_MAX_LENGTH UTF-16 units with a visible character and no control character or line
 * break: an id a reader sees as blank, or with a NUL or a line break, is a client's bug, and no profile could be
 * told apart by it. `stored`: an id to find what was stored under it (to read or erase it), which earlier versions
 * took with only white space and C0 controls refused, so data stored under such an id can still be erased.
 */
export function userIdProblem(value: unknown, opts: { stored?: boolean } = {}): string | undefined {
  return idProblem(value, USER_ID_MAX_LENGTH, opts);
}

/** Why `value` is no id of at most `max` UTF-16 units by the rule of user ids (see {@link userIdProblem}). */
function idProblem(value: unknown, max: number, opts: { stored?: boolean } = {}): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (opts.stored ? value.trim() === '' : !VISIBLE.test(value)) {
    return 'must not be blank (white space and invisible characters such as U+200B alone are no id)';
  }
  if (value.length > max) return `must be at most ${max} characters`;
  if ((opts.stored ? C0_CONTROL : CONTROL).test(value)) {
    return 'must not contain control characters or line breaks (U+2028, U+2029)';
  }
  return undefined;
}

/** A user id, required (see {@link userIdProblem}), or undefined after reporting why not. */
export function checkUserId(errors: FieldError[], field: string, value: unknown): string | undefined {
  return checkId(errors, field, value, USER_ID_MAX_LENGTH);
}

/**
 * An id of at most `max` UTF-16 units by the rule of user ids, required: an event's id, which the 409 of a reused one
 * and the records kept of it show as the user id is shown. Undefined after reporting why not.
 */
export function checkId(errors: FieldError[], field: string, value: unknown, max: number): string | undefined {
  if (value === undefined || value === null) {
    errors.push({ field, message: `${field} is required` });
    return undefined;
  }
  const problem = idProblem(value, max);
  if (problem === undefined) return value as string;
  errors.push({ field, message: `${field} ${problem}` });
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
