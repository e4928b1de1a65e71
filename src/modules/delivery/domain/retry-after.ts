/** Longest wait a provider's Retry-After may impose; beyond it the value is treated as a typo or an outage. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * Milliseconds to wait from a Retry-After header (delta-seconds or an HTTP date, RFC 9110 §10.2.3),
 * or undefined when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | string[] | undefined | null, now: Date): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw == null) return undefined;
  const trimmed = raw.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now.getTime()), MAX_RETRY_AFTER_MS);
}
