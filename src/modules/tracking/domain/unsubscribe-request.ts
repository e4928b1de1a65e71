import { byQuality } from '../../../lib/http/quality-values';

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

/** Why a form's body could not be read: its media type (415), its size (413), or its bytes (400). */
export type UnreadableForm = 'type' | 'size' | 'damaged';

const JSON_TYPE = /^application\/(?:json|[a-z0-9.!#$&^_-]+\+json)$/;
const HTML_TYPE = /^(?:text\/html|application\/xhtml\+xml)$/;

/**
 * Whether an unsubscribe POST whose body could not be read is answered with a page: yes for a person's
 * browser submitting the page's form (it accepts HTML, or fetches a document); no for a client that prefers
 * JSON or names neither, such as a mailbox provider's one-click POST, which keep the API's JSON error.
 */
export function answersWithPage(headers: { accept?: string; fetchDest?: string }): boolean {
  const accepted = byQuality(headers.accept);
  const best = (type: RegExp) =>
    Math.max(0, ...accepted.filter((a) => type.test(a.value.toLowerCase())).map((a) => a.q));
  const json = best(JSON_TYPE);
  const html = best(HTML_TYPE);
  if (json > 0 && json >= html) return false;
  return html > 0 || headers.fetchDest === 'document';
}
