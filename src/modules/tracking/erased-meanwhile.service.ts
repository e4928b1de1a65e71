import { Injectable } from '@nestjs/common';
import { ExperimentOutcomes } from '../experiments/experiment-ports';
import { UsersService } from '../ingest/users.service';
import { ConversionRepository } from './conversion.repository';
import { TrackedNotificationRepository } from './tracked-notification.repository';
import { RecipientPreferencesService } from './recipient-preferences.service';
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
    private readonly preferences: RecipientPreferencesService,
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
    if ((await this.users.erasingOrGone([userId])).get(userId) !== 'erasing') return false;
    await this.conversions.deleteByUser(userId);
    await this.events.deleteByUser(userId);
    await this.outcomes.forget(userId, { conversionId });
    return true;
  }

  /**
   * After a category left for a user the request was named (through the API, or by an older link naming no message),
   * not found through a record; `added`: whether it stored the unsubscribe. A user whose profile is marked as being erased keeps nothing of it; one whose
   * profile is gone by then is left to the erasure, which erases unsubscribes once more after the profile. Gone with
   * the unsubscribe gone too, the whole erasure ran after it was stored and before its audience facts were, which
   * then hold it for a user erased: it leaves them, and so do the facts unless the user has a profile or events again
   * (a new user of the id), whose facts are recorded again with the categories stored. True when taken back.
   */
  async afterLeaving(userId: string, category: string, added: boolean): Promise<boolean> {
    const how = (await this.users.erasingOrGone([userId])).get(userId);
    if (how === 'erasing') await this.preferences.forgetUnsubscribe(userId, category, added);
    if (how !== 'gone') return how === 'erasing';
    if ((await this.preferences.unsubscribesOf(userId)).some((u) => u.category === category)) return false;
    await this.preferences.forgetInFacts(userId, category);
    await this.users.forgetActivityOfErased([userId]);
    await this.preferences.recordFactsAgain(userId);
    return true;
  }

  /** The events, attributed conversions and experiment outcomes of an erased user's notification. */
  private async forgetNotification({ userId, notificationId }: { userId: string; notificationId: string }) {
    await this.events.deleteByNotification(notificationId);
    await this.conversions.deleteAttributedTo(userId, notificationId);
    await this.outcomes.forget(userId, { notificationId });
  }
}
