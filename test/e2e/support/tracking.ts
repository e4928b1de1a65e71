import { INestApplicationContext } from '@nestjs/common';
import {
  IssuedTracking,
  NotificationTracking,
  TrackedNotification,
} from '../../../src/modules/tracking/notification-tracking';
import { NotificationMessage } from '../../../src/modules/delivery/domain/notification';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { buildTrackedNotification } from '../../factories/tracked-notification.factory';

/** PUBLIC_BASE_URL of the tracking e2e apps; URLs are requested by their path. */
export const LINKS_BASE = 'https://links.example.com';

/** The path of a tracking URL (`/t/o/<token>`), to request it from the test app. */
export const pathOf = (url: string): string => url.slice(LINKS_BASE.length);

/** The token at the end of a tracking URL. */
export const tokenOf = (url: string): string => url.slice(url.lastIndexOf('/') + 1);

/** A token whose payload was changed after signing: one character of the payload segment swapped. */
export function tampered(token: string): string {
  const parts = token.split('.');
  const payload = parts[2];
  const swapped = payload.slice(0, -2) + (payload.at(-2) === 'A' ? 'B' : 'A') + payload.at(-1);
  return [parts[0], parts[1], swapped, parts[3]].join('.');
}

/**
 * Issues a notification's tracking as delivery does, and records it sent at `sentAt`: by default in a
 * notification carrying its tracking (created with it, its acceptance writing `sentAt`); `own-record`
 * issues it in tracking's own collection, as notifications created before that were. `message` is what the
 * notification was composed as (its template and the variant used), when a test needs it.
 */
export async function sendTracked(
  app: INestApplicationContext,
  overrides: Partial<TrackedNotification>,
  sentAt: Date,
  stored: 'in-notification' | 'own-record' = 'in-notification',
  message?: NotificationMessage,
): Promise<{ notification: TrackedNotification; issued: IssuedTracking }> {
  const tracking = app.get(NotificationTracking);
  const notification = buildTrackedNotification(overrides);
  if (stored === 'own-record') {
    const issued = await tracking.issue(notification);
    await tracking.recordSent(notification.notificationId, sentAt);
    return { notification, issued };
  }
  const { notificationId, campaignId, userId, channel, category } = notification;
  // One notification per (run, user): a run of its own unless the test names one.
  const runId = overrides.runId ?? `run-of-${notificationId}`;
  const created = await app.get(NotificationRepository).insertNew([
    {
      ...{ notificationId, runId, campaignId, userId, channel, category },
      state: 'sent',
      timeZone: 'UTC',
      targets: [],
      attempts: [],
      ...(notification.experiment && { experiment: notification.experiment }),
      ...(message && { message }),
      tracking: tracking.embeddedFor(notification),
      createdAt: new Date(sentAt.getTime() - 1000),
      sentAt,
    },
  ]);
  if (created.length !== 1) throw new Error(`notification ${notificationId} exists already`);
  return { notification: { ...notification, runId }, issued: tracking.issuedAhead({ ...notification, runId }) };
}

/**
 * Runs `work` (an erasure, say) when `method` of `target` is next called, before the call itself: a race
 * staged at one exact write. Returns the spy, to check the write happened.
 */
export function beforeNextCall<T extends object>(
  target: T,
  method: jest.FunctionPropertyNames<Required<T>>,
  work: () => Promise<unknown>,
) {
  const original = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  return jest.spyOn(target, method).mockImplementationOnce((async (...args: unknown[]) => {
    await work();
    return original(...args);
  }) as never);
}
