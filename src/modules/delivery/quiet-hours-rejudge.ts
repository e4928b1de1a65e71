import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { TimeZoneChanges } from '../../common/users/time-zone-changes';
import { zoneOrUtc } from '../../lib/time/zoned-time';
import { quietWaitEnd } from './domain/delivery-step';
import { DeliveryProducer } from './jobs/delivery.queue';
import { NotificationRepository } from './notification.repository';

/**
 * Messages held for the end of a user's night, judged again when the user's time zone changes. Without it a
 * user who moves while their message waits gets it no sooner than the old zone's morning: hours late when
 * they moved to where it is day, or where the night ends sooner. Each waiting message is due at the later of
 * when it was due and now, or at the end of the new zone's night when that falls in it ({@link quietWaitEnd});
 * one due sooner than its job runs gets a job of its own. Sends judge quiet hours again anyway
 * (`RecipientChecks.inZonesNow`), so this only makes them timely.
 */
@Injectable()
export class QuietHoursRejudge implements OnModuleInit {
  private readonly logger = new Logger(QuietHoursRejudge.name);

  constructor(
    private readonly timeZones: TimeZoneChanges,
    private readonly notifications: NotificationRepository,
    private readonly producer: DeliveryProducer,
  ) {}

  onModuleInit(): void {
    this.timeZones.register({
      name: 'quiet-hours',
      changed: async (userId, zone) => {
        await this.rejudge(userId, zone);
      },
    });
  }

  /** Judges the user's held messages in `zone` (none or unknown: UTC, as at the fan-out); how many moved. */
  async rejudge(userId: string, zone: string | undefined, now = new Date()): Promise<number> {
    const timeZone = zoneOrUtc(zone);
    let moved = 0;
    for (const waiting of await this.notifications.findQuietWaiting(userId, now)) {
      const { notificationId, quietHours, quietWait, notBefore } = waiting;
      if (waiting.timeZone === timeZone) continue;
      const at = quietWaitEnd(quietHours, timeZone, quietWait.dueAt, now);
      if (at.getTime() === notBefore.getTime()) continue;
      if (!(await this.notifications.rescheduleQuietWait(notificationId, notBefore, at, timeZone))) continue;
      moved++;
      // A later time needs no job: the waiting one finds the new time and waits for it.
      if (at.getTime() < notBefore.getTime()) await this.producer.enqueueSooner(notificationId, at);
      this.logger.log({
        message: `quiet-hours wait judged again in ${timeZone}: due ${at.toISOString()}`,
        notificationId,
        userId,
      });
    }
    return moved;
  }
}
