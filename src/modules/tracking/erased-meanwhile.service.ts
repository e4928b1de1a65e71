import { Injectable } from '@nestjs/common';
import { ExperimentOutcomes } from '../experiments/experiment-ports';
import { UsersService } from '../ingest/users.service';
import { ConversionRepository } from './conversion.repository';
import { TrackedNotificationRepository } from './tracked-notification.repository';
import { TrackingEventRepository } from './tracking-event.repository';

/**
 * Takes back what a request wrote for a user erased while it ran. A request finds its user through a record
 * (the notification of an open, a click or an unsubscribe; a pending conversion), then writes events,
 * conversions and experiment outcomes, which can land after the erasure removed the user's. An erasure
 * removes what requests find before what they write (see ERASURE_PHASES), so once its writes are done a
 * request asks whether what it found is still stored: if so, the erasure of its writes is still to come;
 * if not, it takes them back. Ranking outcomes need nothing: they only update an example, which an erasure
 * removes with its notification or on its own, and never create one.
 */
@Injectable()
export class ErasedMeanwhile {
  constructor(
    private readonly notifications: TrackedNotificationRepository,
    private readonly events: TrackingEventRepository,
    private readonly conversions: ConversionRepository,
    private readonly outcomes: ExperimentOutcomes,
    private readonly users: UsersService,
  ) {}

  /**
   * After a request's writes for a notification it found: one indexed read while the notification is stored.
   * True when it was erased, so the request takes back what else it wrote.
   */
  async afterNotification(notification: { userId: string; notificationId: string }): Promise<boolean> {
    if (await this.notifications.exists(notification.notificationId)) return false;
    await this.forgetNotification(notification);
    return true;
  }

  /**
   * After settling a conversion; `stillStored` says whether its record was there when marked settled. Gone, it
   * was erased, and so was the notification it is attributed to (their erasure goes first); stored, the
   * notification it was attributed to when reported may have been erased since it was found, which takes the
   * conversion with it. True when the conversion was taken back.
   */
  async afterConversion(
    conversion: { userId: string; conversionId: string; notificationId?: string },
    stillStored: boolean,
  ): Promise<boolean> {
    const { userId, conversionId, notificationId } = conversion;
    if (!stillStored) await this.outcomes.forget(userId, { conversionId });
    if (notificationId === undefined) return !stillStored;
    if (stillStored) return this.afterNotification({ userId, notificationId });
    await this.forgetNotification({ userId, notificationId });
    return true;
  }

  /**
   * After settling a conversion, whose user's profile may be marked as being erased with the erasure past its
   * conversions and nothing found to tell (no notification attributes it, or it went before it was found): a
   * marked user's conversions and tracking events go, with this conversion's experiment outcome. One whose
   * profile is gone by then is left to the erasure, which erases conversions once more after the profile; one
   * without a profile at all converts as usual. True when taken back.
   */
  async ofMarkedUser({ userId, conversionId }: { userId: string; conversionId: string }): Promise<boolean> {
    if (!(await this.isMarked(userId))) return false;
    await this.conversions.deleteByUser(userId);
    await this.events.deleteByUser(userId);
    await this.outcomes.forget(userId, { conversionId });
    return true;
  }

  /**
   * After a request's writes for a user it was named (not found through a record): whether the user's profile is
   * marked as being erased, so the request takes its writes back. One whose profile is gone by then is left to the
   * erasure, which erases what such requests write once more after the profile.
   */
  async isMarked(userId: string): Promise<boolean> {
    return (await this.users.erasingOrGone([userId])).get(userId) === 'erasing';
  }

  /** The events, attributed conversions and experiment outcomes of an erased user's notification. */
  private async forgetNotification({ userId, notificationId }: { userId: string; notificationId: string }) {
    await this.events.deleteByNotification(notificationId);
    await this.conversions.deleteAttributedTo(userId, notificationId);
    await this.outcomes.forget(userId, { notificationId });
  }
}
