import { createHash } from 'node:crypto';

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
 * The category an unsubscribe link applies to: the one the template named (`{{unsubscribeUrl "digest"}}`),
 * or the campaign's own category for a plain `{{unsubscribeUrl}}` (which templates record as `all`).
 */
export function unsubscribeCategory(linkCategory: string, campaignCategory: string): string {
  return linkCategory === 'all' ? campaignCategory : linkCategory;
}
