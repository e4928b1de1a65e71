import { ActivityEvent } from '../../../lib/events/activity-event';
import { FieldError, validateEvent } from '../../../lib/events/validate-event';
import { findUnsafeShape } from '../../../lib/validation/json-shape';

export const MAX_BATCH_EVENTS = 1000;

export type BatchValidation = { ok: true; events: ActivityEvent[] } | { ok: false; errors: FieldError[] };

function prefix(index: number, field: string): string {
  return field ? `events[${index}].${field}` : `events[${index}]`;
}

/**
 * Validates a whole `{ events: [...] }` body before anything is stored; every error names the
 * event's index and field, e.g. `events[3].item.title`.
 */
export function validateEventBatch(body: unknown, now: Date): BatchValidation {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ field: '', message: 'body must be a JSON object {"events": [...]}' }] };
  }
  const errors: FieldError[] = Object.keys(body)
    .filter((key) => key !== 'events')
    .map((key) => ({ field: key, message: `${key} is not a known field` }));
  const raw = (body as { events?: unknown }).events;
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_BATCH_EVENTS) {
    errors.push({ field: 'events', message: `events must be an array of 1 to ${MAX_BATCH_EVENTS} events` });
    return { ok: false, errors };
  }
  const events: ActivityEvent[] = [];
  raw.forEach((candidate, index) => {
    const result = validateEvent(candidate, now);
    if (result.ok) events.push(result.event);
    else errors.push(...result.errors.map((e) => ({ field: prefix(index, e.field), message: e.message })));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, events };
}

const reasonOf = (errors: FieldError[]) =>
  errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');

/** Parses and validates one JSONL line of an import; the reason names the field like the HTTP API does. */
export function parseEventLine(
  line: string,
  now: Date,
): { ok: true; event: ActivityEvent } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  // As in HTTP bodies: text that is no Unicode (a lone surrogate) would be stored as U+FFFD, and re-imported as a conflict.
  const unsafe = findUnsafeShape(raw);
  if (unsafe) return { ok: false, reason: reasonOf([unsafe]) };
  const result = validateEvent(raw, now);
  if (result.ok) return result;
  return { ok: false, reason: reasonOf(result.errors) };
}
