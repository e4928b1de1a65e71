import { EARLIEST_INSTANT } from '../time/iso-instant';

/** The activity event contract shared by the HTTP ingest, the JSONL import and the offline build. */
export const EVENT_TYPES = ['search', 'view', 'save', 'click', 'purchase', 'board', 'custom'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventItem {
  id: string;
  title?: string;
  annotations?: string[];
  categories?: string[];
}

export interface ActivityEvent {
  id: string;
  userId: string;
  type: EventType;
  occurredAt: Date;
  query?: string;
  item?: EventItem;
  board?: { name: string };
  properties?: Record<string, unknown>;
}

export const EVENT_LIMITS = {
  idLength: 256,
  queryLength: 512,
  titleLength: 512,
  annotations: 50,
  annotationLength: 256,
  categories: 50,
  categoryLength: 256,
  boardNameLength: 256,
  futureSkewMs: 5 * 60 * 1000,
  /**
   * The earliest `occurredAt`: activity dated before it (year 0001, 1800, or a zero Unix time) is a client's bug
   * that would corrupt journey time windows and recency, so it is refused like a time too far in the future.
   */
  earliestOccurredAt: EARLIEST_INSTANT,
  /** Characters of keys and values in `properties`. */
  propertiesSize: 65_536,
} as const;
