import { Injectable, Logger } from '@nestjs/common';
import { zoneOrUtc } from '../../lib/time/zoned-time';
import { UsersService } from '../ingest/users.service';
import { normalizeAddress } from '../tracking/domain/suppression-address';
import { RecipientPreferences } from '../tracking/notification-tracking';
import { DeliveryError } from './domain/delivery-error';
import { Notification, NotificationReason, NotificationTarget, pendingTargets } from './domain/notification';
import { TokenRemovalValve } from './token-removal-valve';

/**
 * The recipient's word, asked right before sending and acted on after a provider's verdict: every
 * call delivery makes to the recipient preferences (unsubscribes, the suppression list) and to the
 * user's profile (consent to the channel, push tokens) is here.
 */
@Injectable()
export class RecipientChecks {
  private readonly logger = new Logger(RecipientChecks.name);

  constructor(
    private readonly preferences: RecipientPreferences,
    private readonly users: UsersService,
    private readonly valve: TokenRemovalValve,
  ) {}

  /**
   * Why the notification must not go out now (consent to its channel withdrawn, an unsubscribe, none of its
   * addresses still the user's, or a suppressed address since it was queued), or else the pending targets to
   * send: those whose address or device is still on the user's profile. `gone` are the pending targets whose
   * address or device is no longer there, never to be sent.
   */
  async verdict(notification: Notification): Promise<Verdict> {
    const contacts = (await this.users.contactsAmong([notification.userId], notification.channel)).get(
      notification.userId,
    );
    if (!contacts) {
      // A queued message was composed for a profile: one marked as being erased, or gone since, is an erasure's.
      const erased = (await this.users.erasingOrGone([notification.userId])).has(notification.userId);
      return { refusal: erased ? ERASED_REASON : noConsentReason(notification.channel), gone: [] };
    }
    if (await this.preferences.isUnsubscribed(notification.userId, notification.category)) {
      return { refusal: unsubscribedReason(notification.category), gone: [] };
    }
    const pending = stillTheirs(notification, contacts);
    const gone = pendingTargets(notification.targets).filter((i) => !pending.includes(i));
    if (pending.length === 0 && gone.length > 0) return { refusal: noAddressReason(notification.channel), gone };
    for (const address of mailedAddresses(notification, pending, contacts)) {
      const suppressed = await this.preferences.suppressionOf(address);
      if (suppressed) return { refusal: suppressedReason(suppressed), gone };
    }
    return { pending, gone };
  }

  /**
   * The refusals of {@link verdict} for many notifications, in one read of the profiles per channel, one of
   * unsubscribes per category and one of the suppression list.
   */
  async refusals(notifications: readonly Notification[]): Promise<Map<string, NotificationReason>> {
    const [contacts, left, suppressed] = await Promise.all([
      readPerGroup(
        userIdsBy(notifications, (n) => n.channel),
        (channel, userIds) => this.users.contactsAmong(userIds, channel),
      ),
      readPerGroup(
        userIdsBy(notifications, (n) => n.category),
        (category, userIds) => this.preferences.unsubscribedAmong(userIds, category),
      ),
      this.preferences.suppressionsOf(
        notifications.flatMap((n) => n.targets.flatMap(({ to }) => (to.channel === 'email' ? [to.address] : []))),
      ),
    ]);
    // A webhook's receiver mails the address on file now: known once the profiles are read.
    const onFile = notifications.flatMap((n) => {
      const mine = contacts.get(n.channel)?.get(n.userId);
      return n.targets.some(({ to }) => to.channel === 'webhook') ? mailedAddresses(n, stillTheirs(n, mine), mine) : [];
    });
    for (const [address, reason] of await this.preferences.suppressionsOf(onFile)) suppressed.set(address, reason);
    const refusals = new Map<string, NotificationReason>();
    for (const n of notifications) {
      const mine = contacts.get(n.channel)?.get(n.userId);
      const pending = stillTheirs(n, mine);
      const reason = !mine
        ? noConsentReason(n.channel)
        : left.get(n.category)?.has(n.userId)
          ? unsubscribedReason(n.category)
          : pending.length === 0 && pendingTargets(n.targets).length > 0
            ? noAddressReason(n.channel)
            : mailedAddresses(n, pending, mine)
                .flatMap((address) => (suppressed.has(address) ? [suppressed.get(address)!] : []))
                .map(suppressedReason)[0];
      if (reason) refusals.set(n.notificationId, reason);
    }
    return refusals;
  }

  /**
   * The notifications as quiet hours must judge them now: each queued one under a quiet-hours rule in its
   * user's time zone as the profile says now, so a user who moved since the fan-out is not woken where they
   * are. A zone the runtime does not know, or none, is UTC, as at the fan-out; a user with no profile keeps
   * the zone the notification was queued with.
   */
  async inZonesNow(notifications: readonly Notification[]): Promise<Notification[]> {
    const judged = new Set(notifications.filter((n) => n.state === 'queued' && n.quietHours));
    if (judged.size === 0) return [...notifications];
    const zones = await this.users.timeZonesOf([...judged].map((n) => n.userId));
    return notifications.map((n) => {
      if (!judged.has(n) || !zones.has(n.userId)) return n;
      return { ...n, timeZone: zoneOrUtc(zones.get(n.userId)) };
    });
  }

  /**
   * Applies what a permanent failure says about the recipient: drop a dead token (unless the refusal may be our
   * settings', see TokenRemovalValve), suppress a dead address.
   */
  async act(notification: Notification, to: NotificationTarget, error: DeliveryError, at: Date): Promise<void> {
    if (error.action === 'remove-token' && to.channel === 'push' && !this.valve.mayRemove(error)) {
      this.logger.warn({
        message: `push token kept: too many ${error.provider} ${error.providerCode} refusals to trust this one`,
        notificationId: notification.notificationId,
        userId: notification.userId,
        platform: to.platform,
      });
    } else if (error.action === 'remove-token' && to.channel === 'push') {
      const removed = await this.users.removePushToken(notification.userId, to.token, error.tokenInvalidSince);
      this.logger.log({
        message: removed
          ? 'push token removed'
          : 'push token kept: a profile update listed it after the provider found it invalid',
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

/**
 * Why a message is not sent to a user whose profile is being erased, or was erased, since it was composed: its run
 * takes it back once settled (see NotificationRunHooks.settled), with everything else written for it.
 */
export const ERASED_REASON: NotificationReason = {
  code: 'erased',
  message: 'the user is being erased (or was) since the message was composed',
};

/** What {@link RecipientChecks.verdict} says: a refusal, or the targets to send; either way the targets gone. */
export type Verdict = ({ refusal: NotificationReason } | { pending: number[] }) & { gone: number[] };

/** Why a target was skipped: its address or device left the user's profile before it was sent. */
export function goneReason(to: NotificationTarget): NotificationReason {
  return {
    code: 'no-address',
    rule: to.channel === 'email' ? 'email' : 'pushTokens',
    message:
      to.channel === 'email' ? "the address is no longer the user's" : "the device is no longer on the user's profile",
  };
}

/**
 * The notification's pending targets whose address or device is among the user's `contacts` now: a replaced
 * address or a removed device is no longer theirs to send to. An email address is the same whatever its case
 * and whatever form its domain is written in (as the suppression list matches it), so a profile that rewrites
 * `exämple.com` as `xn--exmple-cua.com` keeps its mailbox. A webhook has no address of the user's: its receiver
 * finds their contact, so it is theirs while they consent.
 */
function stillTheirs(notification: Notification, contacts: ReadonlySet<string> | undefined): number[] {
  if (!contacts) return [];
  const mailboxes = notification.channel === 'email' ? new Set([...contacts].map(normalizeAddress)) : contacts;
  return pendingTargets(notification.targets).filter((i) => {
    const { to } = notification.targets[i];
    if (to.channel === 'webhook') return true;
    return to.channel === 'email' ? mailboxes.has(normalizeAddress(to.address)) : contacts.has(to.token);
  });
}

/**
 * The email addresses the `pending` targets mail, whose suppression refuses the message: an email target's
 * own, and for an email campaign's webhook the user's address on file now (`contacts`), which its receiver mails.
 */
function mailedAddresses(
  notification: Notification,
  pending: readonly number[],
  contacts: ReadonlySet<string> | undefined,
): string[] {
  return pending.flatMap((i) => {
    const { to } = notification.targets[i];
    if (to.channel === 'email') return [to.address];
    return to.channel === 'webhook' && notification.channel === 'email' ? [...(contacts ?? [])] : [];
  });
}

/** The notifications' user ids grouped by `key`. */
function userIdsBy<K>(notifications: readonly Notification[], key: (n: Notification) => K): Map<K, string[]> {
  const groups = new Map<K, string[]>();
  for (const n of notifications) {
    const ids = groups.get(key(n));
    if (ids) ids.push(n.userId);
    else groups.set(key(n), [n.userId]);
  }
  return groups;
}

/** One `read` per group, its answers by group key. */
async function readPerGroup<K, V>(
  groups: Map<K, string[]>,
  read: (key: K, userIds: string[]) => Promise<V>,
): Promise<Map<K, V>> {
  return new Map(await Promise.all([...groups].map(async ([key, ids]) => [key, await read(key, ids)] as const)));
}

function noConsentReason(channel: string): NotificationReason {
  return {
    code: 'no-consent',
    rule: `consent.${channel}`,
    value: false,
    message: `the user no longer consents to ${channel}`,
  };
}

function noAddressReason(channel: 'email' | 'push'): NotificationReason {
  return {
    code: 'no-address',
    rule: channel === 'email' ? 'email' : 'pushTokens',
    message:
      channel === 'email'
        ? "the address it was for is no longer the user's"
        : "none of the devices it was for is still the user's",
  };
}

function unsubscribedReason(category: string): NotificationReason {
  return {
    code: 'unsubscribed',
    rule: 'category',
    value: category,
    message: `the user unsubscribed from ${category} (or from everything)`,
  };
}

function suppressedReason(reason: string): NotificationReason {
  return { code: 'address-suppressed', value: reason, message: `the address is suppressed (${reason})` };
}
