import { checkKnownFields, checkString, isPlainObject } from '../../../lib/validation/field-checks';
import { childPath, FieldError } from '../../../lib/validation/field-error';

/** The reasons an operator may list an address for (delivery lists hard bounces itself). */
export const OPERATOR_SUPPRESSION_REASONS = ['manual', 'complaint', 'hard-bounce'] as const;
export type OperatorSuppressionReason = (typeof OPERATOR_SUPPRESSION_REASONS)[number];

/** Addresses one import may carry: a provider's export is imported in pages of this size. */
export const MAX_IMPORTED_ADDRESSES = 10_000;

/** RFC 5321's longest address. */
const MAX_ADDRESS_CHARS = 320;
/** A local part, one @ and a domain, none of them holding white space or another @. */
const ADDRESS = /^[^\s@]+@[^\s@]+$/;

export interface SuppressionEntry {
  address: string;
  reason: OperatorSuppressionReason;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

const ENTRY_FIELDS = new Set(['address', 'reason']);

/** An email address as an operator gives it (trimmed), or undefined after reporting why not. */
export function checkAddress(errors: FieldError[], field: string, value: unknown): string | undefined {
  const text = checkString(errors, field, value, { required: true, max: MAX_ADDRESS_CHARS });
  if (text === undefined) return undefined;
  if (!ADDRESS.test(text.trim())) {
    errors.push({ field, message: `${field} must be an email address (local part, @, domain)` });
    return undefined;
  }
  return text.trim();
}

/** A reason an operator may give (`manual` when left out), or undefined after reporting why not. */
export function checkReason(
  errors: FieldError[],
  field: string,
  value: unknown,
): OperatorSuppressionReason | undefined {
  if (value === undefined) return 'manual';
  if (typeof value === 'string' && (OPERATOR_SUPPRESSION_REASONS as readonly string[]).includes(value)) {
    return value as OperatorSuppressionReason;
  }
  errors.push({ field, message: `${field} must be one of ${OPERATOR_SUPPRESSION_REASONS.join(', ')}` });
  return undefined;
}

/** The body of `PUT /v1/suppressions/:address`: `{ "reason"? }` (an empty body lists it as manual). */
export function parseSuppressionBody(body: unknown): Parsed<OperatorSuppressionReason> {
  const errors: FieldError[] = [];
  const fields = body ?? {};
  if (!isPlainObject(fields)) return { ok: false, errors: [{ field: 'body', message: 'body must be a JSON object' }] };
  checkKnownFields(errors, fields, new Set(['reason']), 'suppression');
  const reason = checkReason(errors, 'reason', fields.reason);
  return errors.length > 0 || !reason ? { ok: false, errors } : { ok: true, value: reason };
}

/** The body of `POST /v1/suppressions:import`: `{ "addresses": [{ "address", "reason"? }] }`, every item checked. */
export function parseSuppressionImport(body: unknown): Parsed<SuppressionEntry[]> {
  if (!isPlainObject(body)) return { ok: false, errors: [{ field: 'body', message: 'body must be a JSON object' }] };
  const errors: FieldError[] = [];
  checkKnownFields(errors, body, new Set(['addresses']), 'import');
  const { addresses } = body;
  if (!Array.isArray(addresses) || addresses.length === 0) {
    errors.push({ field: 'addresses', message: 'addresses must be a non-empty array' });
    return { ok: false, errors };
  }
  if (addresses.length > MAX_IMPORTED_ADDRESSES) {
    errors.push({
      field: 'addresses',
      message: `addresses must hold at most ${MAX_IMPORTED_ADDRESSES} items (import larger lists in pages)`,
    });
    return { ok: false, errors };
  }
  const entries: SuppressionEntry[] = [];
  addresses.forEach((item: unknown, i) => {
    const path = childPath('addresses', i);
    if (!isPlainObject(item)) {
      errors.push({ field: path, message: `${path} must be an object with an address` });
      return;
    }
    checkKnownFields(errors, item, ENTRY_FIELDS, 'suppression', `${path}.`);
    const address = checkAddress(errors, childPath(path, 'address'), item.address);
    const reason = checkReason(errors, childPath(path, 'reason'), item.reason);
    if (address && reason) entries.push({ address, reason });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: entries };
}

/** What a suppression file holds: the entries, the blank lines skipped, and each bad line by number. */
export interface SuppressionFile {
  entries: SuppressionEntry[];
  blank: number;
  problems: Array<{ line: number; message: string }>;
}

/**
 * A provider's list as a file: one address per line, or `address,reason` (CSV). Blank lines are skipped and
 * counted; a header line `address` or `address,reason` is skipped too.
 */
export function parseSuppressionFile(text: string): SuppressionFile {
  const file: SuppressionFile = { entries: [], blank: 0, problems: [] };
  const lines = text.split(/\r?\n/);
  // A file that ends with a line break has no blank line after it.
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') {
      file.blank++;
      return;
    }
    if (i === 0 && /^address(,\s*reason)?$/i.test(line)) return;
    const [address, reason, ...rest] = line.split(',').map((part) => part.trim());
    const errors: FieldError[] = [];
    const checked = checkAddress(errors, 'address', address);
    const why = checkReason(errors, 'reason', reason === '' ? undefined : reason);
    if (rest.length > 0) errors.push({ field: 'line', message: 'a line holds an address and at most a reason' });
    if (errors.length > 0 || !checked || !why) {
      file.problems.push({ line: i + 1, message: errors.map((e) => e.message).join('; ') });
    } else file.entries.push({ address: checked, reason: why });
  });
  return file;
}
