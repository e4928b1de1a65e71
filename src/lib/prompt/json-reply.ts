/** A structured-output reply read as a JSON object, or why it is not one. */
export type JsonObjectReply = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/** Parses an LLM reply that must be one JSON object (not an array, a string or a number). */
export function parseJsonObject(text: string): JsonObjectReply {
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'reply is not JSON' };
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) {
    return { ok: false, reason: 'reply is not an object' };
  }
  return { ok: true, value: reply as Record<string, unknown> };
}
