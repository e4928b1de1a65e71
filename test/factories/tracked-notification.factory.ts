import { TrackedNotification } from '../../src/modules/tracking/notification-tracking';
import { TrackedLink } from '../../src/modules/templates/template.types';

/** A rendered message's link as the templates module records it. */
export function buildTrackedLink(id: string, url: string, kind: TrackedLink['kind'] = 'click'): TrackedLink {
  return { id, kind, url, placeholder: `__jc_testnonce_${id}__` };
}

/** An email notification about to be delivered, with one click link and a plain unsubscribe link. */
export function buildTrackedNotification(overrides: Partial<TrackedNotification> = {}): TrackedNotification {
  return {
    notificationId: 'n1',
    runId: 'run-1',
    campaignId: 'digest',
    userId: 'u1',
    channel: 'email',
    category: 'digest',
    links: [buildTrackedLink('c1', 'https://shop.example.com/kitchen'), buildTrackedLink('u2', 'all', 'unsubscribe')],
    ...overrides,
  };
}
