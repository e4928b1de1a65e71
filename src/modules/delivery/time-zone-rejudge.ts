import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { TimeZoneChanges } from '../../common/users/time-zone-changes';
import { zoneOrUtc } from '../../lib/time/zoned-time';
import { UsersService } from '../ingest/users.service';
import { waitInZone } from './domain/delivery-step';
import { DeliveryProducer } from './jobs/delivery.queue';
import { NotificationRepository } from './notification.repository';

/**
 * Messages waiting for a time their user's zone decided, judged again when the user's time zone changes: a
 * local-hour run's send time (10:00 on its date where the user is) and the end of a night that quiet hours
 * hold a message for. Without it a user who moves while their message waits gets it at the old zone's hour:
 * an 18:00 message at noon, or a message held for the morning hours late, when they moved to where it is day.
 * Each waiting message is taken again in the new zone ({@link waitInZone}); one due sooner than its job runs
 * gets a job of its own. Sends judge quiet hours again anyway (`RecipientChecks.inZonesNow`), so this only
 * makes them timely.
 */
/** Rounds of judging before giving up on a user whose zone keeps changing under it (sends judge again anyway). */
const MAX_ROUNDS = 5;

@Injectable()
export class TimeZoneRejudge implements OnModuleInit {
  private readonly logger = new Logger(TimeZoneRejudge.name);

  constructor(
    private readonly timeZones: TimeZoneChanges,
    private readonly notifications: NotificationRepository,
    private readonly producer: DeliveryProducer,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.timeZones.register({
      name: 'waiting-messages',
      changed: async (userId) => {
        await this.rejudge(userId);
      },
    });
  }

  /**
   * Judges the user's waiting messages in the zone their profile gives now (none or unknown: UTC, as at the
   * fan-out); how many moved. The zone is read from the profile, not taken from the change that called, and read
   * again after the writes: of two changes close together, the listener of the earlier one may write last, and
   * it must not leave the messages judged in a zone the user has already left. Each move is conditional on the
   * wait as it was read (its time and zone), so a write that lost to another judgement is judged again.
   */
  async rejudge(userId: string, now = new Date()): Promise<number> {
    let moved = 0;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const timeZone = await this.zoneOf(userId);
      const { moves, lost } = await this.judgeIn(userId, timeZone, now);
      moved += moves;
      if (!lost && (await this.zoneOf(userId)) === timeZone) return moved;
    }
    this.logger.warn({
      message: `waiting messages not settled after ${MAX_ROUNDS} rounds of zone changes: sends judge them again`,
      userId,
    });
    return moved;
  }

  private async zoneOf(userId: string): Promise<string> {
    return zoneOrUtc((await this.users.timeZonesOf([userId])).get(userId));
  }

  private async judgeIn(userId: string, timeZone: string, now: Date): Promise<{ moves: number; lost: boolean }> {
    let moves = 0;
    let lost = false;
    for (const waiting of await this.notifications.findZoneWaiting(userId, now)) {
      const { notificationId, notBefore } = waiting;
      if (waiting.timeZone === timeZone) continue;
      const next = waitInZone(waiting, timeZone, now);
      // Left to the send-time check, which drops a message the campaign drops in the night.
      if (!next) continue;
      // The zone is written even when the time stays, so a judgement in another zone meanwhile is seen.
      if (!(await this.notifications.rescheduleZoneWait(waiting, next, timeZone))) {
        lost = true;
        continue;
      }
      if (next.notBefore.getTime() === notBefore.getTime()) continue;
      moves++;
      // A later time needs no job: the waiting one finds the new time and waits for it.
      if (next.notBefore.getTime() < notBefore.getTime()) {
        await this.producer.enqueueSooner(notificationId, next.notBefore);
      }
      this.logger.log({
        message: `waiting message judged again in ${timeZone}: due ${next.notBefore.toISOString()}`,
        notificationId,
        userId,
      });
    }
    return { moves, lost };
  }
}
