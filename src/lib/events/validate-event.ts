import { FieldError } from '../validation/field-error';
import {
  checkId,
  checkInstant,
  checkKnownFields,
  checkString,
  checkUserId,
  isPlainObject,
} from '../validation/field-checks';
import { freeFormErrors } from '../validation/free-form';
import { ActivityEvent, EVENT_LIMITS, EVENT_TYPES, EventItem, EventType } from './activity-event';

export type { FieldError } from '../validation/field-error';

export type EventValidation = { ok: true; event: ActivityEvent } | { ok: false; errors: FieldError[] };

const ITEM_TYPES: ReadonlySet<EventType> = new Set(['view', 'save', 'click', 'purchase']);
// A stored event is a document of its own, so its properties sit at level 2.
const PROPERTIES_RULES = { level: 2, nested: true, maxSize: EVENT_LIMITS.propertiesSize };
const EARLIEST_OCCURRED_AT = new Date(EVENT_LIMITS.earliestOccurredAt);
const KNOWN_FIELDS = new Set(['id', 'userId', 'type', 'occurredAt', 'query', 'item', 'board', 'properties']);
const KNOWN_ITEM_FIELDS = new Set(['id', 'title', 'annotations', 'categories']);
const KNOWN_BOARD_FIELDS = new Set(['name']);

function checkStringList(errors: FieldError[], field: string, value: unknown, maxItems: number, maxLength: number) {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    errors.push({ field, message: `${field} must be an array of strings` });
    return undefined;
  }
  if (value.length > maxItems) {
    errors.push({ field, message: `${field} must have at most ${maxItems} entries` });
    return undefined;
  }
  const before = errors.length;
  value.forEach((entry, i) => checkString(errors, `${field}[${i}]`, entry, { required: true, max: maxLength }));
  return errors.length === before ? (value as string[]) : undefined;
}

function checkItem(errors: FieldError[], value: unknown): EventItem | undefined {
  if (!isPlainObject(value)) {
    errors.push({ field: 'item', message: 'item must be an object' });
    return undefined;
  }
  checkKnownFields(errors, value, KNOWN_ITEM_FIELDS, 'event', 'item.');
  const id = checkString(errors, 'item.id', value.id, { required: true, max: EVENT_LIMITS.idLength });
  const title = checkString(errors, 'item.title', value.title, {
    required: false,
    max: EVENT_LIMITS.titleLength,
    nullAsAbsent: true,
  });
  const annotations = checkStringList(
    errors,
    'item.annotations',
    value.annotations,
    EVENT_LIMITS.annotations,
    EVENT_LIMITS.annotationLength,
  );
  const categories = checkStringList(
    errors,
    'item.categories',
    value.categories,
    EVENT_LIMITS.categories,
    EVENT_LIMITS.categoryLength,
  );
  if (id === undefined) return undefined;
  return {
    id,
    ...(title !== undefined && { title }),
    ...(annotations !== undefined && { annotations }),
    ...(categories !== undefined && { categories }),
  };
}

/**
 * Validates one raw event against the contract; `now` bounds how far in the future `occurredAt` may be, and
 * `EVENT_LIMITS.earliestOccurredAt` how far in the past.
 * Every problem is reported, not just the first, so a client can fix a batch in one round trip.
 */
export function validateEvent(raw: unknown, now: Date): EventValidation {
  if (!isPlainObject(raw)) return { ok: false, errors: [{ field: '', message: 'event must be a JSON object' }] };
  const errors: FieldError[] = [];
  checkKnownFields(errors, raw, KNOWN_FIELDS, 'event');
  const id = checkId(errors, 'id', raw.id, EVENT_LIMITS.idLength);
  const userId = checkUserId(errors, 'userId', raw.userId);
  let type: EventType | undefined;
  if (typeof raw.type === 'string' && (EVENT_TYPES as readonly string[]).includes(raw.type)) {
    type = raw.type as EventType;
  } else {
    errors.push({ field: 'type', message: `type must be one of ${EVENT_TYPES.join(', ')}` });
  }
  const occurredAt = checkInstant(errors, 'occurredAt', raw.occurredAt, now, EVENT_LIMITS.futureSkewMs, {
    notBefore: EARLIEST_OCCURRED_AT,
  });
  // Events read a null query or item title as one left out, as they always have: batches already sent stay valid.
  const query = checkString(errors, 'query', raw.query, {
    required: type === 'search',
    max: EVENT_LIMITS.queryLength,
    nullAsAbsent: true,
  });
  let item: EventItem | undefined;
  if (raw.item !== undefined) item = checkItem(errors, raw.item);
  else if (type && ITEM_TYPES.has(type)) errors.push({ field: 'item', message: `item is required for ${type} events` });
  let board: { name: string } | undefined;
  if (raw.board !== undefined) {
    if (!isPlainObject(raw.board)) errors.push({ field: 'board', message: 'board must be an object' });
    else {
      checkKnownFields(errors, raw.board, KNOWN_BOARD_FIELDS, 'event', 'board.');
      const name = checkString(errors, 'board.name', raw.board.name, {
        required: true,
        max: EVENT_LIMITS.boardNameLength,
      });
      if (name !== undefined) board = { name };
    }
  } else if (type === 'board') errors.push({ field: 'board', message: 'board is required for board events' });
  if (raw.properties !== undefined) errors.push(...freeFormErrors(raw.properties, 'properties', PROPERTIES_RULES));
  if (errors.length > 0 || !id || !userId || !type || !occurredAt) return { ok: false, errors };
  return {
    ok: true,
    event: {
      id,
      userId,
      type,
      occurredAt,
      ...(query !== undefined && { query }),
      ...(item !== undefined && { item }),
      ...(board !== undefined && { board }),
      ...(raw.properties !== undefined && { properties: raw.properties as Record<string, unknown> }),
    },
  };
}
