import { Injectable } from '@nestjs/common';
import { FieldValidationException } from '../../common/http/field-errors';
import { ActivityEvent } from '../../lib/events/activity-event';
import { validateEventBatch } from './domain/event-batch';
import { AudienceFactsRepository } from '../audience/audience-facts.repository';
import { EventRepository, InsertResult } from './event.repository';
import { IngestMetrics } from './ingest.metrics';

/** Each user's latest event time in a batch. */
function lastActivity(events: readonly ActivityEvent[]): Map<string, Date> {
  const latest = new Map<string, Date>();
  for (const e of events) {
    const known = latest.get(e.userId);
    if (!known || e.occurredAt > known) latest.set(e.userId, e.occurredAt);
  }
  return latest;
}

@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventRepository,
    private readonly metrics: IngestMetrics,
    private readonly audienceFacts: AudienceFactsRepository,
  ) {}

  /** Validates the whole batch first (nothing is stored when any event is bad), then stores it idempotently. */
  async ingestBatch(body: unknown): Promise<InsertResult> {
    const validation = validateEventBatch(body, new Date());
    if (!validation.ok) {
      this.metrics.batchRejected();
      throw new FieldValidationException(validation.errors);
    }
    return this.store(validation.events);
  }

  /** Stores already-validated events (the JSONL import validates line by line). */
  async store(events: ActivityEvent[]): Promise<InsertResult> {
    const result = await this.events.insertMany(events, new Date());
    this.metrics.eventsStored(result);
    // "Last active within" rules count on this; replays are harmless ($max), so duplicates need no filtering.
    await this.audienceFacts.recordActivity(lastActivity(events));
    return result;
  }

  countByType(): Promise<Record<string, number>> {
    return this.events.countByType();
  }
}
