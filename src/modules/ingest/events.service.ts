import { Injectable } from '@nestjs/common';
import { FieldConflictException, FieldValidationException } from '../../common/http/field-errors';
import { ActivityEvent } from '../../lib/events/activity-event';
import { validateEventBatch } from './domain/event-batch';
import {
  compareWithHolder,
  conflictsInBatch,
  conflictsOf,
  describeConflict,
  EventConflict,
  EventOutcome,
  repeatsInBatch,
} from './domain/event-replays';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { EventRepository, EventsWritten, InsertResult, mayBeTakenBack } from './event.repository';
import { IngestMetrics } from './ingest.metrics';
import { UserRepository } from './user.repository';
import { UsersService } from './users.service';

/**
 * Events stored, replays counted as duplicates, events of users being erased (not kept, counted in neither), and
 * the events left out because their id has other content.
 */
export interface StoreResult extends InsertResult {
  erased: number;
  conflicts: EventConflict[];
}

/** What POST /v1/events answers: `erased` only when some events went with their user's erasure. */
export type IngestAnswer = InsertResult & { erased?: number };

// An id refused by the unique index but gone when read, or gone before a replay marked it (erased, or taken back by
// a refused batch), is written again; a few rounds settle any realistic interleaving.
const MAX_WRITE_ROUNDS = 4;

/** Each user's latest event time in a batch. */
function lastActivity(events: readonly ActivityEvent[]): Map<string, Date> {
  const latest = new Map<string, Date>();
  for (const e of events) {
    const known = latest.get(e.userId);
    if (!known || e.occurredAt > known) latest.set(e.userId, e.occurredAt);
  }
  return latest;
}

function countOf(outcomes: ReadonlyMap<number, EventOutcome>, kind: EventOutcome['kind']): number {
  let n = 0;
  for (const o of outcomes.values()) if (o.kind === kind) n += 1;
  return n;
}

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventRepository,
    private readonly metrics: IngestMetrics,
    private readonly audienceFacts: AudienceFactsRepository,
    private readonly users: UserRepository,
    private readonly profiles: UsersService,
  ) {}

  /**
   * Validates the whole batch first, then stores it idempotently. Nothing is stored when any event is bad
   * (400) or reuses an id, stored or earlier in the batch, with other content (409).
   */
  async ingestBatch(body: unknown): Promise<IngestAnswer> {
    const validation = validateEventBatch(body, new Date());
    if (!validation.ok) {
      this.metrics.batchRejected();
      throw new FieldValidationException(validation.errors);
    }
    const { accepted, duplicates, erased, conflicts } = await this.write(validation.events, true);
    if (conflicts.length > 0) {
      this.metrics.batchRejected();
      throw new FieldConflictException(
        conflicts.map((c) => ({
          field: `events[${c.index}].id`,
          message: describeConflict(validation.events[c.index].id, c, (i) => `events[${i}]`),
        })),
      );
    }
    return { accepted, duplicates, ...(erased > 0 && { erased }) };
  }

  /**
   * Stores already-validated events each on its own (the JSONL import validates line by line): an event whose
   * id is already used with other content is left out and reported, the others are stored.
   */
  store(events: ActivityEvent[]): Promise<StoreResult> {
    return this.write(events, false);
  }

  countByType(): Promise<Record<string, number>> {
    return this.events.countByType();
  }

  /**
   * Writes each new id once and compares the ids already used with what holds them: one read and one unordered
   * insert for a batch, whatever its size. A concurrent request may store an id between the two; the insert then
   * refuses it and those ids are read and compared again. With `allOrNothing`, a batch that uses an id twice with
   * different content is refused before anything is read, and a conflict with what is stored takes back
   * whatever this call wrote.
   */
  private async write(events: ActivityEvent[], allOrNothing: boolean): Promise<StoreResult> {
    const { firsts, later } = repeatsInBatch(events);
    if (allOrNothing) {
      const conflicts = conflictsInBatch(events, later);
      if (conflicts.length > 0) return { accepted: 0, duplicates: 0, erased: 0, conflicts };
    }
    const receivedAt = new Date();
    const outcomes = new Map<number, EventOutcome>();
    // For the first use of an id already stored: the stored event, which later uses are compared with.
    const storedHolders = new Map<number, ActivityEvent>();
    const written: EventsWritten[] = [];
    let pending = firsts;
    for (let round = 1; pending.length > 0; round += 1) {
      if (round > MAX_WRITE_ROUNDS) {
        throw new Error(`events ${pending.map((i) => events[i].id).join(', ')} could not be stored`);
      }
      const stored = await this.events.findByIds(pending.map((i) => events[i].id));
      const fresh: number[] = [];
      const replays: number[] = [];
      for (const i of pending) {
        const holder = stored.get(events[i].id);
        if (!holder) fresh.push(i);
        else {
          const outcome = compareWithHolder(events[i], holder, 'stored');
          outcomes.set(i, outcome);
          storedHolders.set(i, holder);
          if (outcome.kind === 'duplicate' && mayBeTakenBack(holder, receivedAt)) replays.push(i);
        }
      }
      if (allOrNothing && countOf(outcomes, 'conflict') > 0) {
        for (const w of written) await w.undo();
        return { accepted: 0, duplicates: 0, erased: 0, conflicts: conflictsOf(outcomes) };
      }
      // A duplicate's holder received lately may have been written by a batch still to be refused, which takes back
      // what it wrote unless marked replayed; holders gone before the mark are read again next round. An older one,
      // or one marked already, stays: its batch can no longer take it back (UNDO_WINDOW_MS).
      const marked = await this.events.markReplayed(
        replays.map((i) => events[i].id),
        receivedAt,
      );
      const unsettled = marked ? [] : replays;
      for (const i of unsettled) {
        outcomes.delete(i);
        storedHolders.delete(i);
      }
      const write = await this.events.insertMany(
        fresh.map((i) => events[i]),
        receivedAt,
      );
      written.push(write);
      fresh.forEach((i, k) => {
        if (!write.refused.has(k)) outcomes.set(i, { kind: 'accepted' });
      });
      pending = [...fresh.filter((_, k) => write.refused.has(k)), ...unsettled];
    }
    for (const [first, indexes] of later) {
      const holder = storedHolders.get(first);
      for (const i of indexes) {
        outcomes.set(i, compareWithHolder(events[i], holder ?? events[first], holder ? 'stored' : first));
      }
    }
    // "Last active within" rules count on this; replays are harmless ($max), so duplicates need no filtering.
    const kept = events.filter((_, i) => outcomes.get(i)?.kind !== 'conflict');
    await this.audienceFacts.recordActivity(lastActivity(kept));
    const erasing = await this.takeBackErasing(kept);
    for (const [i, outcome] of outcomes) {
      if (outcome.kind !== 'conflict' && erasing.has(events[i].userId)) outcomes.set(i, { kind: 'erased' });
    }
    const result = {
      accepted: countOf(outcomes, 'accepted'),
      duplicates: countOf(outcomes, 'duplicate'),
      erased: countOf(outcomes, 'erased'),
    };
    this.metrics.eventsStored(result);
    return { ...result, conflicts: conflictsOf(outcomes) };
  }

  /**
   * Events of a user whose profile is being erased are not kept: written after the erasure's events phase, they
   * would outlive it and build journeys again. Looked for after the writes (and the activity they record), as
   * profile writes do: an erasure marked later erases them itself, and one whose profile is gone by now erases
   * its events once more after the profile (see UsersService.eraseUser). An erasure that ran wholly between the
   * writes of the events and of their activity has left the activity alone on a record of its own, which goes
   * unless the user has events (they may come before any profile) or a profile again. Returns the users taken back.
   */
  private async takeBackErasing(events: readonly ActivityEvent[]): Promise<Set<string>> {
    const found = await this.users.findErasingOrGone([...new Set(events.map((e) => e.userId))]);
    const erasing = new Set([...found].filter(([, how]) => how === 'erasing').map(([userId]) => userId));
    for (const userId of erasing) {
      await this.events.deleteByUser(userId);
      await this.audienceFacts.deleteByUserId(userId);
    }
    await this.profiles.forgetActivityOfErased(
      [...found].filter(([, how]) => how === 'gone').map(([userId]) => userId),
    );
    return erasing;
  }
}
