import { validateEvent } from '../../../src/lib/events/validate-event';
import { RawEvent } from '../../../src/lib/synthetic/population';
import { ExtractedEvent, extractEventKeywords } from '../../../src/modules/journeys/domain/keywords';
import { authoredTokens, writtenTexts } from './tokens';

/** One event as the evaluation holds it: what inference sees, and the user's own tokens for scoring. */
export interface EvalEvent {
  id: string;
  at: number;
  extracted: ExtractedEvent;
  tokens: string[];
  /** The event's texts as written (normalised): query, board name, annotations, item title and categories. */
  texts: string[];
}

export interface EvalUser {
  userId: string;
  /** Ascending time (ties by id, so the order is reproducible). */
  events: EvalEvent[];
}

/**
 * Validates events exactly as ingest does and groups them by user in time order. An invalid event is an
 * error in a converter, so it stops the evaluation rather than being skipped.
 */
export function prepareUsers(raw: readonly RawEvent[]): EvalUser[] {
  const latest = raw.reduce((m, e) => Math.max(m, Date.parse(e.occurredAt)), 0);
  const now = new Date(latest + 86_400_000);
  const users = new Map<string, EvalEvent[]>();
  for (const e of raw) {
    const v = validateEvent(e, now);
    if (!v.ok) throw new Error(`invalid event ${e.id}: ${v.errors.map((x) => `${x.field} ${x.message}`).join('; ')}`);
    const extracted = extractEventKeywords(v.event);
    let list = users.get(e.userId);
    if (!list) users.set(e.userId, (list = []));
    list.push({ id: e.id, at: extracted.at, extracted, tokens: authoredTokens(e), texts: writtenTexts(e) });
  }
  return [...users]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([userId, events]) => ({
      userId,
      events: events.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    }));
}
