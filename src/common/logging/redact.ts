import { escapeControl, escapeStack } from './escape';

/** Keys whose values are personal data or secrets wherever they appear in a logged object. */
const SECRET_KEYS = /^(email|token|tokens|pushTokens|authorization|apiKey|key|secret|password)$/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// API keys (jc_...), bearer credentials and long opaque strings such as FCM/APNs tokens.
const TOKEN = /\b(jc_[A-Za-z0-9_-]+|Bearer\s+\S+|[A-Za-z0-9_:-]{64,})/g;
const MAX_DEPTH = 6;

/** Replaces emails and tokens in a string with placeholders. */
export function redactText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(TOKEN, '[token]');
}

/**
 * Deep copy of a log value that is safe to print: emails, tokens and secret-named fields replaced,
 * control characters in strings and keys escaped (so logged input can never start a forged line).
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return escapeControl(redactText(value));
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  if (value instanceof Error) {
    const copy = new Error(escapeControl(redactText(value.message)));
    copy.name = escapeControl(value.name);
    copy.stack = value.stack && escapeStack(redactText(value.stack));
    return copy;
  }
  if (Array.isArray(value)) return value.map((entry) => redact(entry, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    out[escapeControl(key)] = SECRET_KEYS.test(key) && entry != null ? '[redacted]' : redact(entry, depth + 1);
  }
  return out;
}
