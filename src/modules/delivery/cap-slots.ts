import { Injectable } from '@nestjs/common';
import { capRefusal } from './domain/frequency-cap';
import { capSlotOf, firstAccepted, Notification, NotificationReason } from './domain/notification';
import { FrequencyCaps } from './frequency-caps';
import { NotificationLifecycle } from './notification-lifecycle';

/**
 * A send later (or earlier) than its frequency-cap slot by more than this takes the slot again at its real
 * time: against windows of hours, a minute is noise, and a send on time costs no Redis round trip.
 */
export const CAP_SLOT_DRIFT_MS = 60_000;

/**
 * The frequency caps asked again when a message goes out late. Its slot was reserved at the fan-out for
 * the planned send time; a run paused and resumed the next day, a retry's backoff, a rate-limit or
 * quiet-hours wait send it later, and a slot left at the planned time would let another message go out
 * less than a window after it. A late send moves its slot to now, or is refused when a cap is full there. So
 * does an early one: a user who moved out of their night has a message held for the old morning sent sooner.
 */
@Injectable()
export class CapSlots {
  constructor(
    private readonly caps: FrequencyCaps,
    private readonly lifecycle: NotificationLifecycle,
  ) {}

  /**
   * The notifications the caps refuse at `now`, with why. Only those off their slot's time are asked; one that
   * a provider already accepted for some target went out then, and keeps its slot.
   */
  async refusals(notifications: readonly Notification[], now: Date): Promise<Map<string, NotificationReason>> {
    const late = notifications.filter(
      (n) => Math.abs(now.getTime() - capSlotOf(n).getTime()) > CAP_SLOT_DRIFT_MS && !firstAccepted(n.targets),
    );
    const refusals = new Map<string, NotificationReason>();
    await Promise.all(
      late.map(async (n) => {
        const verdict = await this.caps.retake(n, await this.lifecycle.frequencyCaps(n.runId), now, n.notificationId);
        if (!verdict.granted) refusals.set(n.notificationId, capRefusal(verdict, n.channel));
      }),
    );
    return refusals;
  }
}
