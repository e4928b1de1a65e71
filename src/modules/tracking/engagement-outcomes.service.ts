import { Injectable, Logger } from '@nestjs/common';
import { ExperimentOutcomes } from '../experiments/experiment-ports';
import { RankingExampleRepository } from '../ranking/ranking-example.repository';
import { TrackedNotificationRecord } from './tracked-notification.schema';

type Notification = Pick<TrackedNotificationRecord, 'notificationId' | 'userId' | 'campaignId' | 'experimentId'>;

/**
 * Passes first engagements on to the modules that learn from them: experiment outcomes (opens with
 * their machine flag, human clicks, unsubscribes, and every conversion, attributed to a notification
 * or not) and the ranker's training labels (first human open or click). The raw event goes to the
 * tracking log either way, so a failure here is logged with its ids and never fails the recipient's
 * request; a conversion's fails the report instead, which leaves the conversion pending for the
 * backend's retry or the scheduled sweep to finish.
 */
@Injectable()
export class EngagementOutcomes {
  private readonly logger = new Logger(EngagementOutcomes.name);

  constructor(
    private readonly experiments: ExperimentOutcomes,
    private readonly ranking: RankingExampleRepository,
  ) {}

  /** The first open of its class (human or machine) of a notification; push opens are human. */
  async opened(notification: Notification, at: Date, machine: boolean): Promise<void> {
    await this.forward(notification, 'open', () =>
      Promise.all([
        this.experiments.record({ kind: 'open', machine, ...this.facts(notification), at }),
        machine ? undefined : this.ranking.recordOutcome(notification.notificationId, 'open', at),
      ]),
    );
  }

  /** The first human click of a notification. */
  async clicked(notification: Notification, at: Date): Promise<void> {
    await this.forward(notification, 'click', () =>
      Promise.all([
        this.experiments.record({ kind: 'click', ...this.facts(notification), at }),
        this.ranking.recordOutcome(notification.notificationId, 'click', at),
      ]),
    );
  }

  async unsubscribed(notification: Notification, at: Date): Promise<void> {
    await this.forward(notification, 'unsubscribe', () =>
      this.experiments.record({ kind: 'unsubscribe', ...this.facts(notification), at }),
    );
  }

  /**
   * A conversion, for experiments whatever was sent: every assigned user's conversion counts in their
   * arm (intent to treat), held out and suppressed users' included. `conversionId` is the product's id of
   * it, `campaignId` the campaign the product reported it for, if any, and `notificationId` the
   * notification it is attributed to, if any.
   */
  async converted(
    conversion: { conversionId: string; userId: string; campaignId?: string; notificationId?: string },
    at: Date,
    value: number | undefined,
  ): Promise<void> {
    await this.experiments.record({ kind: 'conversion', ...conversion, at, ...(value !== undefined && { value }) });
  }

  /** An engagement counts in the experiment its notification was sent under, and in no other. */
  private facts(n: Notification) {
    return {
      userId: n.userId,
      campaignId: n.campaignId,
      notificationId: n.notificationId,
      experimentId: n.experimentId ?? null,
    };
  }

  private async forward(
    n: { userId: string; notificationId?: string },
    kind: string,
    work: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await work();
    } catch (error) {
      const of = n.notificationId ? `notification ${n.notificationId}` : 'no notification';
      this.logger.error(`could not record the ${kind} of ${of} (user ${n.userId}): ${(error as Error).message}`);
    }
  }
}
