/** The fields of the page's form and of the one-click POST: the only names an unsubscribe page writes back. */
export const UNSUBSCRIBE_FIELDS: ReadonlySet<string> = new Set(['scope', 'List-Unsubscribe', 'lang']);

/** What an unsubscribe POST asks for: the page's form names a scope; RFC 8058 one-click names none. */
export type UnsubscribeRequest =
  { ok: true; scope: 'category' | 'all'; source: 'page' | 'one-click' } | { ok: false; field: string };

/**
 * Reads the form fields of a POST to an unsubscribe link. A mailbox provider's one-click POST carries
 * `List-Unsubscribe=One-Click` and leaves the list the message was sent on (its category); the page's
 * form carries `scope=category|all`.
 */
export function parseUnsubscribeRequest(fields: Record<string, string>): UnsubscribeRequest {
  if (fields.scope === 'category' || fields.scope === 'all') return { ok: true, scope: fields.scope, source: 'page' };
  if (fields.scope !== undefined) return { ok: false, field: 'scope' };
  if (fields['List-Unsubscribe'] === 'One-Click') return { ok: true, scope: 'category', source: 'one-click' };
  return { ok: false, field: fields['List-Unsubscribe'] === undefined ? 'scope' : 'List-Unsubscribe' };
}
