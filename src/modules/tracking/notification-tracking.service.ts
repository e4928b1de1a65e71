import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { buildIssuedTracking } from './domain/issued-tracking';
import { TrackingError } from './domain/tracking.errors';
import { linkKey } from './domain/tracking-urls';
import { IssuedTracking, NotificationTracking, TrackedNotification, TrackingEventView } from './notification-tracking';
import { NotificationFacts, TrackedNotificationRepository } from './tracked-notification.repository';
import { EmbeddedTracking, StoredLink, TrackedNotificationRecord } from './tracked-notification.schema';
import { TrackingEventRecord } from './tracking-event.schema';
import { TrackingEventRepository } from './tracking-event.repository';
import { TrackingTokens } from './tracking-tokens.service';

const FIXED_FACTS = ['userId', 'campaignId', 'runId', 'channel', 'category'] as const;

/** What the event log says, for explain and the console. */
function toView(event: TrackingEventRecord): TrackingEventView {
  const detail = [event.machineReason, event.proxy && `proxy ${event.proxy}`, event.category, event.source]
    .filter(Boolean)
    .join(', ');
  return {
    kind: event.kind,
    at: event.at,
    ...(event.machine !== undefined && { machine: event.machine }),
    ...(event.linkId !== undefined && { linkId: event.linkId }),
    ...(detail && { detail }),
    repeat: event.repeat,
  };
}

/** Delivery's side of tracking: records each notification's trackable facts and hands back its signed URLs. */
@Injectable()
export class NotificationTrackingService extends NotificationTracking {
  private readonly logger = new Logger(NotificationTrackingService.name);
  private readonly base: string;

  constructor(
    private readonly tokens: TrackingTokens,
    private readonly notifications: TrackedNotificationRepository,
    private readonly events: TrackingEventRepository,
    config: ConfigService<Settings, true>,
  ) {
    super();
    this.base = config.get('tracking', { infer: true }).publicBaseUrl;
  }

  async issue(notification: TrackedNotification): Promise<IssuedTracking> {
    const { facts, links } = this.factsOf(notification);
    return this.issued(notification, await this.notifications.issue(facts, links));
  }

  async issueMany(notifications: readonly TrackedNotification[]): Promise<Map<string, IssuedTracking>> {
    if (notifications.length === 0) return new Map();
    const stored = await this.notifications.issueMany(notifications.map((n) => this.factsOf(n)));
    return new Map(
      notifications.map((n) => {
        const record = stored.get(n.notificationId);
        if (!record) throw new Error(`notification ${n.notificationId}: tracking was not stored`);
        return [n.notificationId, this.issued(n, record)];
      }),
    );
  }

  embeddedFor(notification: TrackedNotification): EmbeddedTracking {
    const { facts, links } = this.factsOf(notification);
    return {
      links,
      ...(facts.experimentId !== undefined && { experimentId: facts.experimentId, armId: facts.armId }),
      ...(facts.journeyId !== undefined && { journeyId: facts.journeyId }),
    };
  }

  issuedAhead(notification: TrackedNotification): IssuedTracking {
    const { facts, links } = this.factsOf(notification);
    return this.issued(notification, { ...facts, counts: {}, links });
  }

  private factsOf(notification: TrackedNotification): { facts: NotificationFacts; links: StoredLink[] } {
    const { notificationId, experiment, journeyId } = notification;
    const clicks = notification.links.filter((link) => link.kind === 'click');
    return {
      facts: {
        notificationId,
        runId: notification.runId,
        campaignId: notification.campaignId,
        userId: notification.userId,
        channel: notification.channel,
        category: notification.category,
        issuedAt: new Date(),
        ...(experiment && { experimentId: experiment.experimentId, armId: experiment.armId }),
        ...(journeyId !== undefined && { journeyId }),
      },
      links: clicks.map((link) => ({ key: linkKey(link), id: link.id, url: link.url })),
    };
  }

  /** The signed URLs of a stored record, refused when the record was issued with other facts. */
  private issued(notification: TrackedNotification, stored: TrackedNotificationRecord): IssuedTracking {
    const changed = FIXED_FACTS.find((fact) => stored[fact] !== notification[fact]);
    if (changed) {
      throw new TrackingError(
        'tracking.conflict',
        `notification ${notification.notificationId} was issued with another ${changed}`,
      );
    }
    return buildIssuedTracking(
      { ...stored, linkKeys: new Set(stored.links.map((link) => link.key)) },
      (claims) => this.tokens.sign(claims),
      this.base,
    );
  }

  async recordSent(notificationId: string, at: Date): Promise<void> {
    if (!(await this.notifications.markSent(notificationId, at))) {
      this.logger.warn(
        `notification ${notificationId} was sent without issued tracking; its engagement is not tracked`,
      );
    }
  }

  async recordSentMany(notificationIds: readonly string[], at: Date): Promise<void> {
    if (notificationIds.length > 0) await this.notifications.markSentMany(notificationIds, at);
  }

  async eventsFor(notificationId: string): Promise<TrackingEventView[]> {
    return (await this.events.findByNotification(notificationId)).map(toView);
  }
}
