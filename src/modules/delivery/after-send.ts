import { Injectable } from '@nestjs/common';
import { ExperimentAssignments } from '../experiments/experiment-ports';
import { NotificationTracking } from '../tracking/notification-tracking';
import type { Notification } from './domain/notification';

/**
 * What a sent notification records elsewhere once the provider accepted it: tracking may attribute
 * opens and clicks to it (unless the notification carries its tracking, whose send time is its own
 * `sentAt`), and the experiment counts the arm as delivered. The ranker needs nothing more: a sent
 * notification about a journey carries the features it was ranked with, and its `sentAt` makes it an
 * example. Each call is idempotent, so a job re-run after a crash simply makes them again.
 */
@Injectable()
export class AfterSend {
  constructor(
    private readonly tracking: NotificationTracking,
    private readonly assignments: ExperimentAssignments,
  ) {}

  /** {@link record} for many notifications accepted by `sentAt`: one write per collection. */
  async recordMany(notifications: readonly Notification[], sentAt: Date): Promise<void> {
    // A notification carrying its tracking has its send time already: its acceptance wrote `sentAt`.
    await this.tracking.recordSentMany(
      notifications.flatMap((n) => (n.tracking ? [] : [n.notificationId])),
      sentAt,
    );
    await this.assignments.recordDeliveredMany(
      notifications.flatMap(({ notificationId, userId, experiment }) =>
        experiment ? [{ ...experiment, userId, notificationId, at: sentAt }] : [],
      ),
    );
  }

  async record(notification: Notification, sentAt: Date): Promise<void> {
    const { notificationId, userId } = notification;
    if (!notification.tracking) await this.tracking.recordSent(notificationId, sentAt);
    if (notification.experiment) {
      await this.assignments.recordDelivered({ ...notification.experiment, userId, notificationId, at: sentAt });
    }
  }
}
