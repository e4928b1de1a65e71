import { Injectable } from '@nestjs/common';
import { ExperimentAssignments } from '../experiments/experiment-ports';
import { RankingExampleRepository } from '../ranking/ranking-example.repository';
import { NotificationTracking } from '../tracking/notification-tracking';
import type { Notification } from './domain/notification';

/**
 * What a sent notification records elsewhere once the provider accepted it: tracking may attribute
 * opens and clicks to it (unless the notification carries its tracking, whose send time is its own
 * `sentAt`), the experiment counts the arm as delivered, and the ranker gets the example
 * it will learn from. Each call is idempotent, so a job re-run after a crash simply makes them again.
 */
@Injectable()
export class AfterSend {
  constructor(
    private readonly tracking: NotificationTracking,
    private readonly assignments: ExperimentAssignments,
    private readonly examples: RankingExampleRepository,
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
    await this.examples.logSentMany(
      notifications.flatMap(({ notificationId, userId, ranking }) =>
        ranking ? [{ notificationId, userId, ...pickExample(ranking), sentAt }] : [],
      ),
    );
  }

  async record(notification: Notification, sentAt: Date): Promise<void> {
    const { notificationId, userId } = notification;
    if (!notification.tracking) await this.tracking.recordSent(notificationId, sentAt);
    if (notification.experiment) {
      await this.assignments.recordDelivered({ ...notification.experiment, userId, notificationId, at: sentAt });
    }
    if (notification.ranking) {
      await this.examples.logSent({ notificationId, userId, ...pickExample(notification.ranking), sentAt });
    }
  }
}

function pickExample({ journeyId, journeyName, features }: NonNullable<Notification['ranking']>) {
  return { journeyId, journeyName, features };
}
