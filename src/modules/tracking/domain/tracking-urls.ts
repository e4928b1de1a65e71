import { createHash } from 'node:crypto';
import { linkProblem } from '../../templates/domain/links';

/**
 * The one URL scheme of tracking: `<base>/t/o/<token>` (open pixel), `/t/c/<token>` (click redirect)
 * and `/t/u/<token>` (unsubscribe page and RFC 8058 one-click POST). Short on purpose: they sit in
 * every email, and `/t/` keeps them apart from the versioned API under `/v1`.
 */
export const TRACKING_ROUTES = { open: 't/o', click: 't/c', unsubscribe: 't/u' } as const;

export type TrackingRoute = keyof typeof TRACKING_ROUTES;

/** `category` of an unsubscribe token that means every category. */
export const ALL_CATEGORIES = '*';

/** The public URL of `route` for `token`; `base` is PUBLIC_BASE_URL without a trailing slash. */
export function trackingUrl(base: string, route: TrackingRoute, token: string): string {
  return `${base}/${TRACKING_ROUTES[route]}/${token}`;
}

/**
 * The stored key of a click link: the template's link id and a short hash of its target. A retried
 * delivery that re-rendered the message with another target under the same id gets a new key, so a
 * token can only ever lead to the URL that was in the message it was sent with.
 */
export function linkKey(link: { id: string; url: string }): string {
  return `${link.id}-${createHash('sha256').update(link.url).digest('base64url').slice(0, 10)}`;
}

/**
 * The Location of a click's redirect: the stored target as a URL parser reads it in a message, written
 * out in ASCII (percent-encoded path and query, punycode host, tabs and line breaks dropped), so every
 * target fits in a header and the browser goes where the link in the message pointed. `https:evil.com`
 * comes out as `https://evil.com/`, not as a path under the tracking host. Undefined when it is no URL, or
 * when, so read, it is one `track` refuses (`javascript:`, `data:`...: `java\tscript:` reads as `javascript:`).
 */
export function redirectLocation(target: string): string | undefined {
  const href = URL.canParse(target) ? new URL(target).href : undefined;
  return href && !linkProblem(href) ? href : undefined;
}

/**
 * The category an unsubscribe link applies to: the one the template named (`{{unsubscribeUrl "digest"}}`),
 * or the campaign's own category for a plain `{{unsubscribeUrl}}` (which templates record as `all`).
 */
export function unsubscribeCategory(linkCategory: string, campaignCategory: string): string {
  return linkCategory === 'all' ? campaignCategory : linkCategory;
}
