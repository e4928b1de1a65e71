import { Injectable, Logger } from '@nestjs/common';
import { UsersService } from '../ingest/users.service';
import { RecipientPreferences } from '../tracking/notification-tracking';
import { DeliveryError } from './domain/delivery-error';
import type { Notification, NotificationReason, NotificationTarget } from './domain/notification';

/**
 * The recipient's word, asked right before sending and acted on after a provider's verdict: every
 * call delivery makes to the recipient preferences (unsubscribes, the suppression list) and to the
 * user's push tokens is here.
 */
@Injectable()
export class RecipientChecks {
  private readonly logger = new Logger(RecipientChecks.name);

  constructor(
    private readonly preferences: RecipientPreferences,
    private readonly users: UsersService,
  ) {}

  /** Why the notification must not go out now (an unsubscribe or a suppressed address since it was queued). */
  async refusal(notification: Notification): Promise<NotificationReason | undefined> {
    if (await this.preferences.isUnsubscribed(notification.userId, notification.category)) {
      return {
        code: 'unsubscribed',
        rule: 'category',
        value: notification.category,
        message: `the user unsubscribed from ${notification.category} (or from everything)`,
      };
    }
    for (const { to } of notification.targets) {
      if (to.channel !== 'email') continue;
      const suppressed = await this.preferences.suppressionOf(to.address);
      if (suppressed) {
        return { code: 'address-suppressed', value: suppressed, message: `the address is suppressed (${suppressed})` };
      }
    }
    return undefined;
  }

  /** Applies what a permanent failure says about the recipient: drop a dead token, suppress a dead address. */
  async act(notification: Notification, to: NotificationTarget, error: DeliveryError, at: Date): Promise<void> {
    if (error.action === 'remove-token' && to.channel === 'push') {
      await this.users.removePushToken(notification.userId, to.token);
      this.logger.log({
        message: 'push token removed',
        notificationId: notification.notificationId,
        userId: notification.userId,
        platform: to.platform,
      });
    }
    if (error.action === 'suppress-address' && to.channel === 'email') {
      await this.preferences.suppress(to.address, 'hard-bounce', at);
      this.logger.log({
        message: 'address suppressed after a hard bounce',
        notificationId: notification.notificationId,
        userId: notification.userId,
      });
    }
  }
}
