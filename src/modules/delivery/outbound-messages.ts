import { Injectable } from '@nestjs/common';
import { TemplatesService } from '../templates/templates.service';
import { IssuedTracking, NotificationTracking, TrackedNotification } from '../tracking/notification-tracking';
import type { RenderedEmail, RenderedMessage, RenderedPush } from '../templates/template.types';
import type { Notification, NotificationTarget } from './domain/notification';
import { MessageRenderRepository } from './message-render.repository';
import type { EmailContent, OutboundMessage, PushContent } from './domain/outbound-message';

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

  /**
   * One message per target index, for the targets in `indexes`; undefined when the notification's render
   * is gone (a render store that lost it): there is nothing to send, and nothing is issued for it.
   */
  async build(
    notification: Notification,
    indexes: readonly number[],
  ): Promise<Map<number, OutboundMessage> | undefined> {
    return (await this.buildMany([{ notification, indexes }])).get(notification.notificationId);
  }

  /**
   * {@link build} for many notifications (every pending target of each), with their tracking issued at
   * once; a notification without its render maps to undefined and leaves the others unaffected.
   */
  async buildMany(
    items: ReadonlyArray<{ notification: Notification; indexes: readonly number[] }>,
  ): Promise<Map<string, Map<number, OutboundMessage> | undefined>> {
    const renders = await this.renders.rendersOf(items.map((i) => i.notification.message));
    const renderable = items.flatMap((item, i) => (renders[i] ? [{ ...item, rendered: renders[i] }] : []));
    // Tracked from creation: signed here, nothing written. Others (created without it) are issued now.
    const issued = await this.tracking.issueMany(
      renderable.flatMap(({ notification, rendered }) =>
        trackedFromCreation(notification) ? [] : [trackedOf(notification, rendered)],
      ),
    );
    for (const { notification, rendered } of renderable) {
      if (trackedFromCreation(notification)) {
        issued.set(notification.notificationId, this.tracking.issuedAhead(trackedOf(notification, rendered)));
      }
    }
    const built = new Map<string, Map<number, OutboundMessage> | undefined>(
      items.map((i) => [i.notification.notificationId, undefined]),
    );
    for (const { notification, indexes, rendered } of renderable) {
      const tracking = issued.get(notification.notificationId)!;
      built.set(notification.notificationId, this.messagesOf(notification, rendered, tracking, indexes));
    }
    return built;
  }

  /**
   * Gives queued notifications about to be created their `tracking` field, from the renders they will
   * carry: their links and attribution facts are stored by the notification's own insert, so they exist
   * before any provider can accept its message, without a write of their own.
   */
  embedTracking(items: ReadonlyArray<{ notification: Notification; rendered: RenderedMessage }>): void {
    for (const { notification, rendered } of items) {
      notification.tracking = this.tracking.embeddedFor(trackedOf(notification, rendered));
    }
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
      if (to.channel === 'webhook') {
        messages.set(index, {
          ...base,
          channel: 'webhook',
          to: { url: to.url },
          // The message as the campaign's channel renders it: the receiver sends it on its own infrastructure.
          content: rendered.channel === 'email' ? emailContent(rendered) : pushContent(rendered),
          unsubscribeUrl: issued.unsubscribeUrl,
        });
      } else if (to.channel === 'email' && rendered.channel === 'email') {
        messages.set(index, {
          ...base,
          channel: 'email',
          to: { address: to.address },
          content: emailContent(rendered),
          unsubscribeUrl: issued.unsubscribeUrl,
          ...(issued.openPixelUrl && { openPixelUrl: issued.openPixelUrl }),
        });
      } else if (to.channel === 'push' && rendered.channel === 'push') {
        messages.set(index, {
          ...base,
          channel: 'push',
          to: { platform: to.platform, token: to.token },
          content: pushContent(rendered),
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

/** What a provider, or a webhook's receiver, gets of a render whose links are resolved. */
function emailContent(rendered: RenderedEmail): EmailContent {
  return { subject: rendered.subject, preheader: rendered.preheader, html: rendered.html, text: rendered.text };
}

function pushContent(rendered: RenderedPush): PushContent {
  return { title: rendered.title, body: rendered.body, deepLink: rendered.deepLink, data: rendered.data };
}

/** Whether the notification's tracking was stored when it was created (in it, or ahead of it). */
function trackedFromCreation(notification: Notification): boolean {
  return notification.tracking !== undefined || notification.trackingIssued === true;
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
