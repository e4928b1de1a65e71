import { parseIsoInstant } from '../../../lib/time/iso-instant';
import { FieldError } from '../../../lib/validation/field-error';
import { ApiKey } from './api-key';

const DURATION = /^(\d{1,6})([smhdw])$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** Longest lifetime a key may be given: ten years. */
export const MAX_KEY_LIFETIME_MS = 3650 * 86_400_000;
/** A key's last-used time is written at most this often, so authentication costs no write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export type KeyStatus = 'active' | 'revoked' | 'expired';

/** Milliseconds of a duration such as `90s`, `15m`, `12h`, `30d` or `2w`, or undefined. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]] : undefined;
}

/**
 * When a new key expires, from a duration (`expiresIn`) or an ISO-8601 instant (`expiresAt`); neither
 * means never. The expiry must lie ahead of `now`, within ten years.
 */
export function resolveExpiry(
  input: { expiresIn?: string; expiresAt?: string },
  now: Date,
): { ok: true; expiresAt?: Date } | { ok: false; error: FieldError } {
  if (input.expiresIn !== undefined && input.expiresAt !== undefined) {
    return { ok: false, error: { field: 'expiresAt', message: 'give expiresIn or expiresAt, not both' } };
  }
  let expiresAt: Date | undefined;
  let field = 'expiresAt';
  if (input.expiresIn !== undefined) {
    field = 'expiresIn';
    const ms = parseDuration(input.expiresIn);
    if (!ms) return { ok: false, error: { field, message: 'expiresIn must be a duration such as 12h, 30d or 2w' } };
    expiresAt = new Date(now.getTime() + ms);
  } else if (input.expiresAt !== undefined) {
    expiresAt = parseIsoInstant(input.expiresAt);
    if (!expiresAt) {
      return { ok: false, error: { field, message: 'expiresAt must be an ISO-8601 instant with a time zone' } };
    }
  }
  if (!expiresAt) return { ok: true };
  if (expiresAt.getTime() <= now.getTime()) {
    return { ok: false, error: { field, message: `${field} must be in the future` } };
  }
  if (expiresAt.getTime() - now.getTime() > MAX_KEY_LIFETIME_MS) {
    return { ok: false, error: { field, message: `${field} must be at most ten years away` } };
  }
  return { ok: true, expiresAt };
}

/** Whether a key works at `now`: revocation wins over expiry. */
export function keyStatus(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now: Date): KeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** Whether a use at `now` should be recorded: the stored last-used time is missing or older than a minute. */
export function lastUsedIsStale(lastUsedAt: Date | undefined, now: Date): boolean {
  return !lastUsedAt || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}
