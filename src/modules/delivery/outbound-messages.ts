import { Injectable } from '@nestjs/common';
import { TemplatesService } from '../templates/templates.service';
import { IssuedTracking, NotificationTracking, TrackedNotification } from '../tracking/notification-tracking';
import type { RenderedMessage } from '../templates/template.types';
import type { Notification, NotificationTarget } from './domain/notification';
import { MessageRenderRepository } from './message-render.repository';
import type { OutboundMessage } from './domain/outbound-message';

/**
 * Turns a queued notification into the messages its targets receive: tracking issues the signed URLs
 * (idempotently, so a retry sends the same ones) and the stored render's link placeholders are replaced
 * with them. Everything here happens before the attempt starts, outside the window between "sending"
 * and "sent".
 */
@Injectable()
export class OutboundMessages {
  constructor(
    private readonly tracking: NotificationTracking,
    private readonly templates: TemplatesService,
    private readonly renders: MessageRenderRepository,
  ) {}

  /** One message per target index, for the targets in `indexes`. */
  async build(notification: Notification, indexes: readonly number[]): Promise<Map<number, OutboundMessage>> {
    const [rendered] = await this.rendersOf([notification]);
    const issued = await this.tracking.issue(trackedOf(notification, rendered));
    return this.messagesOf(notification, rendered, issued, indexes);
  }

  /** {@link build} for many notifications (every pending target of each), with their tracking issued at once. */
  async buildMany(
    items: ReadonlyArray<{ notification: Notification; indexes: readonly number[] }>,
  ): Promise<Map<string, Map<number, OutboundMessage>>> {
    const renders = await this.rendersOf(items.map((i) => i.notification));
    const issued = await this.tracking.issueMany(
      items.map(({ notification }, i) => trackedOf(notification, renders[i])),
    );
    return new Map(
      items.map(({ notification, indexes }, i) => [
        notification.notificationId,
        this.messagesOf(notification, renders[i], issued.get(notification.notificationId)!, indexes),
      ]),
    );
  }

  /** The render of each notification, in order: from the render store, or inline on an older record. */
  private async rendersOf(notifications: readonly Notification[]): Promise<RenderedMessage[]> {
    const renders = await this.renders.rendersOf(notifications.map((n) => n.message));
    return notifications.map((n, i) => {
      if (!renders[i]) throw new Error(`notification ${n.notificationId} has no stored render to send`);
      return renders[i];
    });
  }

  private messagesOf(
    notification: Notification,
    render: RenderedMessage,
    issued: IssuedTracking,
    indexes: readonly number[],
  ): Map<number, OutboundMessage> {
    const rendered = this.templates.resolveLinks(render, (link) => issued.resolveLink(link));
    const base = {
      notificationId: notification.notificationId,
      campaignId: notification.campaignId,
      category: notification.category,
      userId: notification.userId,
    };
    const messages = new Map<number, OutboundMessage>();
    for (const index of indexes) {
      const to: NotificationTarget = notification.targets[index].to;
      if (to.channel === 'email' && rendered.channel === 'email') {
        messages.set(index, {
          ...base,
          channel: 'email',
          to: { address: to.address },
          content: {
            subject: rendered.subject,
            preheader: rendered.preheader,
            html: rendered.html,
            text: rendered.text,
          },
          unsubscribeUrl: issued.unsubscribeUrl,
          ...(issued.openPixelUrl && { openPixelUrl: issued.openPixelUrl }),
        });
      } else if (to.channel === 'push' && rendered.channel === 'push') {
        messages.set(index, {
          ...base,
          channel: 'push',
          to: { platform: to.platform, token: to.token },
          content: { title: rendered.title, body: rendered.body, deepLink: rendered.deepLink, data: rendered.data },
          ...(issued.pushOpenToken && { pushOpenToken: issued.pushOpenToken }),
        });
      } else {
        throw new Error(
          `notification ${notification.notificationId}: a ${to.channel} target for a ${rendered.channel} render`,
        );
      }
    }
    return messages;
  }
}

/** What tracking needs of a notification; it must carry its composed message. */
function trackedOf(notification: Notification, rendered: RenderedMessage): TrackedNotification {
  const composed = notification.message;
  if (!composed) throw new Error(`notification ${notification.notificationId} has no message to send`);
  return {
    notificationId: notification.notificationId,
    runId: notification.runId,
    campaignId: notification.campaignId,
    userId: notification.userId,
    channel: notification.channel,
    category: notification.category,
    ...(notification.experiment && { experiment: notification.experiment }),
    ...(composed.subject.kind === 'journey' && { journeyId: composed.subject.id }),
    links: rendered.links,
  };
}
