import type { TrackedNotificationRepository } from './tracked-notification.repository';
import type { TrackingEventRepository } from './tracking-event.repository';

/**
 * Takes back the events a request logged for a notification whose user was erased meanwhile: counted while the
 * notification was stored, an event can reach the log after the erasure emptied it. The notification goes
 * before the log in an erasure, so either it is gone by now or the log's erasure is still to come.
 */
export async function forgetEventsIfErased(
  notifications: Pick<TrackedNotificationRepository, 'exists'>,
  events: Pick<TrackingEventRepository, 'deleteByNotification'>,
  notificationId: string,
): Promise<void> {
  if (await notifications.exists(notificationId)) return;
  await events.deleteByNotification(notificationId);
}
