import { deserialize } from 'bson';
import { groupHistories, StoredHistoryEvent, UserHistory } from '../../ingest/user-histories';
import { buildJourneysFromExtracted } from '../domain/build-journeys';
import { Embedder } from '../domain/embedder';
import { PreviousJourney } from '../domain/identity';
import { Journey } from '../domain/journey';
import { extractEventKeywords } from '../domain/keywords';

/** A user to infer, with what the stored build they replace says about identity. */
export interface InferenceUser {
  userId: string;
  /** Whether the user has a stored build: a user with neither one nor events is not inferred. */
  hasBase: boolean;
  previous: readonly PreviousJourney[];
}

/** What inference made of one user: their journeys before ranking and naming, or why it failed. */
export interface InferredUser {
  userId: string;
  /** Stored events read for the user (0: no history). */
  events: number;
  receivedThrough?: Date;
  journeys: Journey[];
  error?: string;
}

/**
 * Histories from stored events as raw BSON documents laid back to back (each starts with its own int32
 * length), in user then time order, as the history read returns them.
 */
export function historiesOf(raw: Uint8Array): Map<string, UserHistory> {
  return groupHistories(decodeAll(raw));
}

function* decodeAll(raw: Uint8Array): Generator<StoredHistoryEvent> {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let at = 0; at < raw.byteLength;) {
    const length = view.getInt32(at, true);
    yield deserialize(raw.subarray(at, at + length)) as StoredHistoryEvent;
    at += length;
  }
}

/**
 * Keyword extraction and journey inference for a batch of users from their raw stored events: the CPU-bound
 * part of a build, which the inference threads run (see `JourneyInferenceService`). A user's failure is
 * reported in their entry, not thrown, so the others of the batch still build.
 */
export function inferUsers(
  raw: Uint8Array,
  users: readonly InferenceUser[],
  embedder: Embedder,
  now: Date,
): InferredUser[] {
  const histories = historiesOf(raw);
  return users.map(({ userId, hasBase, previous }) => {
    const history = histories.get(userId);
    const inferred: InferredUser = {
      userId,
      events: history?.events.length ?? 0,
      receivedThrough: history?.receivedThrough,
      journeys: [],
    };
    // Nothing to build from: the caller stores nothing for this user.
    if (!hasBase && !history) return inferred;
    try {
      const events = (history?.events ?? []).map(extractEventKeywords);
      inferred.journeys = buildJourneysFromExtracted(userId, events, { now, embedder, previous });
    } catch (error) {
      inferred.error = error instanceof Error ? error.message : String(error);
    }
    return inferred;
  });
}
