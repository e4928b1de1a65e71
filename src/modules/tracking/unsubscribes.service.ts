import { Injectable } from '@nestjs/common';
import { TemplatesService } from '../templates/templates.service';
import { UnsubscribePage } from './domain/unsubscribe-page';
import { ALL_CATEGORIES } from './domain/tracking-urls';
import { EngagementOutcomes } from './engagement-outcomes.service';
import { ErasedMeanwhile } from './erased-meanwhile.service';
import { RecipientPreferencesService } from './recipient-preferences.service';
import { TrackedNotificationRepository } from './tracked-notification.repository';
import { TrackingEventRepository } from './tracking-event.repository';
import { TrackingTokens } from './tracking-tokens.service';

export type UnsubscribeScope = 'category' | 'all';
export type UnsubscribeSource = 'page' | 'one-click';
/** A page, with the locale the message its link came in was written in when it is known. */
export type UnsubscribeAnswer = UnsubscribePage & { messageLocale?: string };

/**
 * Unsubscribe links. Opening one (GET) only shows where the user stands: mail scanners follow links,
 * so nothing changes until the form or the RFC 8058 one-click POST. The token's signature is the
 * authority (user, category), and the preference is written before anything else, so it holds for
 * the very next send even if recording the event afterwards fails.
 */
@Injectable()
export class UnsubscribesService {
  constructor(
    private readonly tokens: TrackingTokens,
    private readonly preferences: RecipientPreferencesService,
    private readonly notifications: TrackedNotificationRepository,
    private readonly events: TrackingEventRepository,
    private readonly outcomes: EngagementOutcomes,
    private readonly erasedMeanwhile: ErasedMeanwhile,
    private readonly templates: TemplatesService,
  ) {}

  /**
   * What the link's page shows: the confirm form, the user's current state, an invalid link, or a dead link
   * when its message went with its user's erasure.
   */
  async pageFor(token: string): Promise<UnsubscribeAnswer> {
    const verified = this.tokens.verify(token, 'unsubscribe');
    if (!verified.valid || verified.claims.kind !== 'unsubscribe') return { state: 'invalid' };
    const { userId, category, notificationId } = verified.claims;
    const { stored, template } = notificationId
      ? await this.notifications.storedWithTemplate(notificationId)
      : { stored: true, template: undefined };
    if (!stored) return { state: 'dead-link' };
    const messageLocale = template && this.templates.writtenIn(template);
    const written = messageLocale ? { messageLocale } : {};
    if (await this.preferences.isUnsubscribed(userId, ALL_CATEGORIES)) return { state: 'unsubscribed-all', ...written };
    if (await this.preferences.isUnsubscribed(userId, category)) return { state: 'unsubscribed', category, ...written };
    return { state: 'confirm', category, ...written };
  }

  /**
   * Unsubscribes the token's user from its category or from everything; an invalid token, or one whose message
   * went with its user's erasure, changes nothing.
   */
  async unsubscribe(
    token: string,
    scope: UnsubscribeScope,
    source: UnsubscribeSource,
    at = new Date(),
  ): Promise<UnsubscribeAnswer> {
    const verified = this.tokens.verify(token, 'unsubscribe', at);
    if (!verified.valid || verified.claims.kind !== 'unsubscribe') return { state: 'invalid' };
    const { userId, notificationId } = verified.claims;
    const category = scope === 'all' ? ALL_CATEGORIES : verified.claims.category;
    const notification = notificationId ? await this.notifications.findByNotificationId(notificationId) : null;
    // The message is gone with its user's erasure: the link no longer applies, and nothing of them is stored.
    if (notificationId && !notification) return { state: 'dead-link' };
    const added = await this.preferences.unsubscribe({
      userId,
      category,
      at,
      source,
      ...(notification && { notificationId: notification.notificationId, campaignId: notification.campaignId }),
    });
    if (notification) {
      const before = await this.notifications.count(notification.notificationId, { unsubscribe: 1 });
      const first = before !== undefined && !before.unsubscribe;
      // Passed on before the event is logged: once the counter has moved, a resent form is a repeat.
      if (first) await this.outcomes.unsubscribed(notification, at);
      await this.events.append({
        notificationId: notification.notificationId,
        userId: notification.userId,
        campaignId: notification.campaignId,
        kind: 'unsubscribe',
        at,
        repeat: !first,
        category,
        source,
      });
      if (await this.erasedMeanwhile.afterNotification(notification)) {
        await this.preferences.forgetUnsubscribe(userId, category, added);
      }
    } else if (await this.erasedMeanwhile.afterLeaving(userId, category, added)) {
      // An older link, naming no message: its user was erased meanwhile, and the link no longer applies.
      return { state: 'dead-link' };
    }
    const messageLocale = notificationId ? await this.messageLocale(notificationId) : undefined;
    const written = messageLocale ? { messageLocale } : {};
    return category === ALL_CATEGORIES
      ? { state: 'unsubscribed-all', ...written }
      : { state: 'unsubscribed', category, ...written };
  }

  /**
   * The product's preference center: the user leaves `category` (`*`: everything). A user erased meanwhile keeps
   * nothing of it (see ErasedMeanwhile.afterLeaving): written after the erasure removed their unsubscribes, it would
   * outlive it.
   */
  async leave(userId: string, category: string, at = new Date()): Promise<'added' | 'kept' | 'erased'> {
    const added = await this.preferences.unsubscribe({ userId, category, at, source: 'api' });
    if (await this.erasedMeanwhile.afterLeaving(userId, category, added)) return 'erased';
    return added ? 'added' : 'kept';
  }

  /** The locale the notification's message was written in, from the template and variant it was rendered from. */
  private async messageLocale(notificationId: string): Promise<string | undefined> {
    const template = await this.notifications.templateOf(notificationId);
    return template && this.templates.writtenIn(template);
  }
}
