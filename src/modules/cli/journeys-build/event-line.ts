import { ActivityEvent } from '../../../lib/events/activity-event';
import { validateEvent } from '../../../lib/events/validate-event';

/** What one input line holds: nothing (blank), a reason it is invalid, or a valid event. */
export type EventLine = { blank: true } | { invalid: string } | { event: ActivityEvent };

/** Parses and validates one JSONL line as `journeys build` reads it. */
export function parseEventLine(text: string, now: Date): EventLine {
  if (text.trim().length === 0) return { blank: true };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { invalid: 'not valid JSON' };
  }
  const result = validateEvent(raw, now);
  if (result.ok) return { event: result.event };
  return { invalid: result.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ') };
}

/** Splits text into lines as `readline` does (CRLF, LF or CR), without the empty piece after a final break. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
