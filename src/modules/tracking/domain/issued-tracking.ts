import type { IssuedTracking } from '../notification-tracking';
import type { TrackedLink } from '../../templates/template.types';
import type { TrackingClaims } from './tracking-token';
import { TrackingError } from './tracking.errors';
import { linkKey, trackingUrl, unsubscribeCategory } from './tracking-urls';

/** What the URLs of one notification are built from: its stored facts and click-link keys. */
export interface IssueFacts {
  notificationId: string;
  userId: string;
  channel: 'push' | 'email';
  category: string;
  linkKeys: ReadonlySet<string>;
}

/**
 * The signed URLs of a notification. Tokens are deterministic (an HMAC over the claims), so a retried
 * delivery gets the very same URLs; a click link that was not recorded for the notification has none.
 */
export function buildIssuedTracking(
  facts: IssueFacts,
  sign: (claims: TrackingClaims) => string,
  base: string,
): IssuedTracking {
  const { notificationId, userId } = facts;
  // The header's and the body's unsubscribe links are usually the same URL: signed once per category.
  const unsubscribes = new Map<string, string>();
  const unsubscribe = (category: string) => {
    let url = unsubscribes.get(category);
    if (url === undefined) {
      url = trackingUrl(base, 'unsubscribe', sign({ kind: 'unsubscribe', userId, category, notificationId }));
      unsubscribes.set(category, url);
    }
    return url;
  };
  const resolveLink = (link: TrackedLink): string => {
    if (link.kind === 'unsubscribe') return unsubscribe(unsubscribeCategory(link.url, facts.category));
    const key = linkKey(link);
    if (!facts.linkKeys.has(key)) {
      throw new TrackingError(
        'tracking.unknown-link',
        `link ${link.id} was not issued for notification ${notificationId}`,
      );
    }
    return trackingUrl(base, 'click', sign({ kind: 'click', notificationId, linkId: key }));
  };
  return {
    resolveLink,
    unsubscribeUrl: unsubscribe(facts.category),
    ...(facts.channel === 'email' && {
      openPixelUrl: trackingUrl(base, 'open', sign({ kind: 'open', notificationId })),
    }),
    ...(facts.channel === 'push' && { pushOpenToken: sign({ kind: 'push-open', notificationId }) }),
  };
}
