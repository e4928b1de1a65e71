import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { TimeZoneChanges } from '../../common/users/time-zone-changes';
import { zoneOrUtc } from '../../lib/time/zoned-time';
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
@Injectable()
export class TimeZoneRejudge implements OnModuleInit {
  private readonly logger = new Logger(TimeZoneRejudge.name);

  constructor(
    private readonly timeZones: TimeZoneChanges,
    private readonly notifications: NotificationRepository,
    private readonly producer: DeliveryProducer,
  ) {}

  onModuleInit(): void {
    this.timeZones.register({
      name: 'waiting-messages',
      changed: async (userId, zone) => {
        await this.rejudge(userId, zone);
      },
    });
  }

  /** Judges the user's waiting messages in `zone` (none or unknown: UTC, as at the fan-out); how many moved. */
  async rejudge(userId: string, zone: string | undefined, now = new Date()): Promise<number> {
    const timeZone = zoneOrUtc(zone);
    let moved = 0;
    for (const waiting of await this.notifications.findZoneWaiting(userId, now)) {
      const { notificationId, notBefore } = waiting;
      if (waiting.timeZone === timeZone) continue;
      const next = waitInZone(waiting, timeZone, now);
      if (!next || next.notBefore.getTime() === notBefore.getTime()) continue;
      if (!(await this.notifications.rescheduleZoneWait(waiting, next, timeZone))) continue;
      moved++;
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
    return moved;
  }
}
