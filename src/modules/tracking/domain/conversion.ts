import { EVENT_LIMITS } from '../../../lib/events/activity-event';
import { FieldError } from '../../../lib/validation/field-error';
import {
  checkInstant,
  checkKnownFields,
  checkString,
  checkUserId,
  isPlainObject,
} from '../../../lib/validation/field-checks';

/** A conversion as the product's backend reports it; `id` is the idempotency key. */
export interface Conversion {
  id: string;
  userId: string;
  occurredAt: Date;
  value?: number;
  /** Restricts attribution to this campaign's notifications. */
  campaignId?: string;
}

export const CONVERSION_LIMITS = { idLength: 256, futureSkewMs: 5 * 60 * 1000, maxAbsValue: 1e12 } as const;

/** A conversion is activity too: dated before the events' floor, it is a client's bug (see EVENT_LIMITS). */
const EARLIEST_OCCURRED_AT = new Date(EVENT_LIMITS.earliestOccurredAt);
const KNOWN_FIELDS = new Set(['id', 'userId', 'occurredAt', 'value', 'campaignId']);
const CAMPAIGN_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export type ConversionValidation = { ok: true; conversion: Conversion } | { ok: false; errors: FieldError[] };

function checkValue(errors: FieldError[], value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > CONVERSION_LIMITS.maxAbsValue) {
    errors.push({ field: 'value', message: `value must be a number between -1e12 and 1e12` });
    return undefined;
  }
  return value;
}

/** Validates one reported conversion; every problem is named by its field, as events are. */
export function validateConversion(raw: unknown, now: Date): ConversionValidation {
  if (!isPlainObject(raw)) return { ok: false, errors: [{ field: '', message: 'a conversion must be a JSON object' }] };
  const errors: FieldError[] = [];
  checkKnownFields(errors, raw, KNOWN_FIELDS, 'conversion');
  const id = checkString(errors, 'id', raw.id, { required: true, max: CONVERSION_LIMITS.idLength });
  const userId = checkUserId(errors, 'userId', raw.userId);
  const occurredAt = checkInstant(errors, 'occurredAt', raw.occurredAt, now, CONVERSION_LIMITS.futureSkewMs, {
    notBefore: EARLIEST_OCCURRED_AT,
  });
  const value = checkValue(errors, raw.value);
  const campaignId = checkString(errors, 'campaignId', raw.campaignId, { required: false, max: 63 });
  if (campaignId !== undefined && !CAMPAIGN_ID.test(campaignId)) {
    errors.push({ field: 'campaignId', message: 'campaignId must be a campaign id (lower-case letters, digits, -)' });
  }
  if (errors.length > 0 || !id || !userId || !occurredAt) return { ok: false, errors };
  return {
    ok: true,
    conversion: {
      id,
      userId,
      occurredAt,
      ...(value !== undefined && { value }),
      ...(campaignId !== undefined && { campaignId }),
    },
  };
}

/** The earliest send time a notification may have to earn a conversion at `occurredAt`. */
export function attributionStart(occurredAt: Date, windowHours: number): Date {
  return new Date(occurredAt.getTime() - windowHours * 3_600_000);
}
