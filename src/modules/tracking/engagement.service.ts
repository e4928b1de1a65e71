import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Settings } from '../../config/settings';
import { networkOf } from './domain/client-address';
import { classifyFetch, FetchClass } from './domain/machine-fetches';
import { LinkHosts, linkHostProblem } from './domain/link-hosts';
import { redirectLocation } from './domain/tracking-urls';
import { EngagementOutcomes } from './engagement-outcomes.service';
import { ErasedMeanwhile } from './erased-meanwhile.service';
import { FirstTimes, TrackedNotificationRepository } from './tracked-notification.repository';
import { EngagementCounts, TrackedNotificationRecord } from './tracked-notification.schema';
import { TrackingEventRecord } from './tracking-event.schema';
import { TrackingEventRepository } from './tracking-event.repository';
import { TrackingTokens } from './tracking-tokens.service';

/** What a pixel or link request says about who made it. */
export interface RequestFacts {
  method: string;
  userAgent?: string;
  address?: string;
  purpose?: string;
}

const MAX_USER_AGENT = 256;

/** The first-open times an open seen by a person sets. */
const firstOpen = (at: Date): FirstTimes => ({ firstOpenAt: at, firstHumanOpenAt: at });

/**
 * Opens, clicks and push opens. A token that does not verify, or names a notification or link that is
 * not stored, changes nothing. A valid token used again is logged as a repeat and counts nowhere: the
 * counters on the notification, moved in one atomic write per event, decide which event is first, and
 * only that event writes the first-event times. The first event's outcomes are passed on before its
 * event is logged: once the counter has moved, a retry is a repeat, so a log write that fails must not
 * keep the outcome from being counted.
 */
@Injectable()
export class EngagementService {
  private readonly windowMs: number;
  private readonly linkHosts: LinkHosts | undefined;

  constructor(
    private readonly tokens: TrackingTokens,
    private readonly notifications: TrackedNotificationRepository,
    private readonly events: TrackingEventRepository,
    private readonly outcomes: EngagementOutcomes,
    private readonly erasedMeanwhile: ErasedMeanwhile,
    config: ConfigService<Settings, true>,
  ) {
    const tracking = config.get('tracking', { infer: true });
    this.windowMs = tracking.machineWindowSeconds * 1000;
    this.linkHosts = tracking.linkHosts;
  }

  /** An open-pixel fetch. */
  async recordOpen(token: string, request: RequestFacts, at = new Date()): Promise<void> {
    const verified = this.tokens.verify(token, 'open', at);
    if (!verified.valid || verified.claims.kind !== 'open') return;
    const notification = await this.notifications.findByNotificationId(verified.claims.notificationId);
    if (!notification) return;
    const fetch = this.classify(notification, request, at);
    const human = !fetch.machine;
    const before = human
      ? await this.countEvent(notification, 'humanOpen', { open: 1, humanOpen: 1 }, firstOpen(at))
      : await this.countEvent(notification, 'open', { open: 1 }, { firstOpenAt: at });
    if (!before) return;
    const first = human ? !before.humanOpen : (before.open ?? 0) - (before.humanOpen ?? 0) === 0;
    if (first) await this.outcomes.opened(notification, at, fetch.machine);
    await this.events.append(this.event(notification, 'open', at, first, request, fetch));
    await this.erasedMeanwhile.afterNotification(notification);
  }

  /**
   * A click: where the link's stored target leads (see redirectLocation), or undefined when the token leads
   * nowhere, or the target is not on a host of TRACKING_LINK_HOSTS as it reads now (a link stored before it
   * was set or narrowed).
   */
  async recordClick(token: string, request: RequestFacts, at = new Date()): Promise<string | undefined> {
    const verified = this.tokens.verify(token, 'click', at);
    if (!verified.valid || verified.claims.kind !== 'click') return undefined;
    const notification = await this.notifications.findByNotificationId(verified.claims.notificationId);
    const linkId = verified.claims.linkId;
    const link = notification?.links.find((l) => l.key === linkId);
    const location = link && redirectLocation(link.url);
    const target = location && !linkHostProblem(this.linkHosts, location) ? location : undefined;
    if (!notification || !link || !target) return undefined;
    const fetch = this.classify(notification, request, at);
    const human = !fetch.machine;
    const before = human
      ? await this.countEvent(notification, 'humanClick', { click: 1, humanClick: 1 }, { firstClickAt: at })
      : await this.notifications.count(notification.notificationId, { click: 1 });
    if (!before) return target;
    const first = human ? !before.humanClick : (before.click ?? 0) - (before.humanClick ?? 0) === 0;
    const inferred = human && first && (await this.countClick(notification, at));
    await this.events.append({
      ...this.event(notification, 'click', at, first, request, fetch),
      linkId: link.id,
      url: target,
    });
    if (inferred) await this.events.append(inferred);
    await this.erasedMeanwhile.afterNotification(notification);
    return target;
  }

  /** The app reports that the user opened a push notification; false when the token leads nowhere. */
  async recordPushOpen(token: string, openedAt?: Date, now = new Date()): Promise<boolean> {
    const verified = this.tokens.verify(token, 'push-open', now);
    if (!verified.valid || verified.claims.kind !== 'push-open') return false;
    const notification = await this.notifications.findByNotificationId(verified.claims.notificationId);
    if (!notification) return false;
    // The app may report late (offline); never before the message existed.
    const earliest = notification.sentAt ?? notification.issuedAt;
    const at = openedAt ? new Date(Math.max(openedAt.getTime(), earliest.getTime())) : now;
    const before = await this.countEvent(notification, 'pushOpen', { pushOpen: 1 }, firstOpen(at));
    if (!before) return false;
    const first = !before.pushOpen;
    if (first) await this.outcomes.opened(notification, at, false);
    await this.events.append({ ...this.event(notification, 'push-open', at, first), machine: false, source: 'app' });
    await this.erasedMeanwhile.afterNotification(notification);
    return true;
  }

  /**
   * Counts an event; only the first of `counter` writes the first-event times, so a repeat (a replayed
   * token, an app reporting an earlier `openedAt`) moves none. A counter already moved when the
   * notification was read makes this a repeat: one plain write.
   */
  private countEvent(
    notification: TrackedNotificationRecord,
    counter: keyof EngagementCounts,
    add: EngagementCounts,
    firsts: FirstTimes,
  ): Promise<EngagementCounts | undefined> {
    if (notification.counts[counter]) return this.notifications.count(notification.notificationId, add);
    return this.notifications.countFirst(notification.notificationId, counter, add, firsts);
  }

  private classify(notification: TrackedNotificationRecord, request: RequestFacts, at: Date): FetchClass {
    const { sentAt, channel } = notification;
    return classifyFetch({ ...request, at, channel, ...(sentAt && { sentAt }) }, this.windowMs);
  }

  /**
   * Passes a first human click on, with the open it implies: a person who clicked opened the message, even
   * when images were blocked or the app did not report the open, so the first human click counts as the first
   * open when there was none. An open the read already showed needs no write: counters only grow, so the
   * conditional write would match nothing. Otherwise that write decides, and of a racing open and this click
   * exactly one is first. The inferred open's event, for the log, when it is.
   */
  private async countClick(notification: TrackedNotificationRecord, at: Date): Promise<TrackingEventRecord | false> {
    await this.outcomes.clicked(notification, at);
    const push = notification.channel === 'push';
    const counter = push ? 'pushOpen' : 'humanOpen';
    if (notification.counts[counter]) return false;
    const add = push ? { pushOpen: 1 } : { open: 1, humanOpen: 1 };
    if (!(await this.notifications.countIfNone(notification.notificationId, counter, add, firstOpen(at)))) return false;
    await this.outcomes.opened(notification, at, false);
    return { ...this.event(notification, push ? 'push-open' : 'open', at, true), machine: false, source: 'click' };
  }

  private event(
    n: TrackedNotificationRecord,
    kind: TrackingEventRecord['kind'],
    at: Date,
    first: boolean,
    request?: RequestFacts,
    fetch?: FetchClass,
  ): TrackingEventRecord {
    return {
      notificationId: n.notificationId,
      userId: n.userId,
      campaignId: n.campaignId,
      kind,
      at,
      repeat: !first,
      ...(fetch && { machine: fetch.machine }),
      ...(fetch?.reason && { machineReason: fetch.reason }),
      ...(fetch?.proxy && { proxy: fetch.proxy }),
      ...(request?.userAgent && { userAgent: request.userAgent.slice(0, MAX_USER_AGENT) }),
      ...(request?.address && { network: networkOf(request.address) }),
    };
  }
}
