import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { UserErasureRegistry } from '../../../src/common/erasure/user-erasure.registry';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { TrackingError } from '../../../src/modules/tracking/domain/tracking.errors';
import { NotificationTracking, RecipientPreferences } from '../../../src/modules/tracking/notification-tracking';
import { RecipientPreferencesService } from '../../../src/modules/tracking/recipient-preferences.service';
import { TrackedNotificationRepository } from '../../../src/modules/tracking/tracked-notification.repository';
import { TrackingTokens } from '../../../src/modules/tracking/tracking-tokens.service';
import { buildTrackedLink, buildTrackedNotification } from '../../factories/tracked-notification.factory';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { startCampaignsContext } from '../campaigns/campaigns-harness';
import { TrackingModule } from '../../../src/modules/tracking/tracking.module';

const AT = new Date('2026-03-02T09:00:00Z');

const later = (minutes: number) => new Date(AT.getTime() + minutes * 60_000);

/** The token at the end of a tracking URL. */
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describe('NotificationTracking and RecipientPreferences', () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  let tracking: NotificationTracking;
  let preferences: RecipientPreferences;
  let tokens: TrackingTokens;

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    app = await startCampaignsContext(mongo.uri, redis, 'tracking', { PUBLIC_BASE_URL: 'https://links.example.com' }, [
      TrackingModule,
    ]);
    tracking = app.get(NotificationTracking);
    preferences = app.get(RecipientPreferences);
    tokens = app.get(TrackingTokens);
  });
  const notificationsCollection = () => app.get<Connection>(getConnectionToken()).collection('notifications');
  const ownRecords = () => app.get<Connection>(getConnectionToken()).collection('tracked_notifications');
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  it('issues signed URLs under PUBLIC_BASE_URL, and the same ones again for a retried delivery', async () => {
    const notification = buildTrackedNotification({ notificationId: 'issue-1' });
    const [click, unsubscribe] = notification.links;
    const first = await tracking.issue(notification);
    const again = await tracking.issue(notification);

    const clickUrl = first.resolveLink(click);
    expect(clickUrl).toMatch(/^https:\/\/links\.example\.com\/t\/c\/v1\.test\./);
    expect(first.openPixelUrl).toMatch(/^https:\/\/links\.example\.com\/t\/o\//);
    expect(first.unsubscribeUrl).toMatch(/^https:\/\/links\.example\.com\/t\/u\//);
    expect(first.pushOpenToken).toBeUndefined();
    expect(again.resolveLink(click)).toBe(clickUrl);
    expect(again.openPixelUrl).toBe(first.openPixelUrl);
    expect(again.unsubscribeUrl).toBe(first.unsubscribeUrl);

    expect(tokens.verify(tokenOf(clickUrl), 'click')).toMatchObject({
      valid: true,
      claims: { notificationId: 'issue-1', linkId: expect.stringMatching(/^c1-/) },
    });
    // A plain {{unsubscribeUrl}} unsubscribes from the campaign's category; the header URL too.
    for (const url of [first.resolveLink(unsubscribe), first.unsubscribeUrl]) {
      expect(tokens.verify(tokenOf(url), 'unsubscribe')).toMatchObject({
        valid: true,
        claims: { userId: 'u1', category: 'digest', notificationId: 'issue-1' },
      });
    }
    const named = first.resolveLink(buildTrackedLink('u3', 'weekly-tips', 'unsubscribe'));
    expect(tokens.verify(tokenOf(named), 'unsubscribe')).toMatchObject({ claims: { category: 'weekly-tips' } });
  });

  it('stores the attribution facts and only the click targets of the message', async () => {
    await tracking.issue(
      buildTrackedNotification({
        notificationId: 'facts-1',
        experiment: { experimentId: 'digest', armId: 'journey' },
        journeyId: 'j-kitchen',
      }),
    );
    const stored = await app.get(TrackedNotificationRepository).findByNotificationId('facts-1');
    expect(stored).toMatchObject({
      runId: 'run-1',
      campaignId: 'digest',
      userId: 'u1',
      channel: 'email',
      category: 'digest',
      experimentId: 'digest',
      armId: 'journey',
      journeyId: 'j-kitchen',
      links: [{ id: 'c1', url: 'https://shop.example.com/kitchen', key: expect.stringMatching(/^c1-/) }],
    });
    expect(stored!.sentAt).toBeUndefined();
  });

  it('refuses to resolve a link that was not issued with the notification', async () => {
    const issued = await tracking.issue(buildTrackedNotification({ notificationId: 'links-1' }));
    expect(() => issued.resolveLink(buildTrackedLink('c1', 'https://evil.example.com/'))).toThrow(TrackingError);
  });

  it('keeps both targets when a retry re-rendered a link id with another URL', async () => {
    const first = await tracking.issue(buildTrackedNotification({ notificationId: 'rerender-1' }));
    const moved = buildTrackedLink('c1', 'https://shop.example.com/kitchen-v2');
    const second = await tracking.issue(buildTrackedNotification({ notificationId: 'rerender-1', links: [moved] }));
    expect(second.resolveLink(moved)).not.toBe(first.resolveLink(buildTrackedNotification().links[0]));
    const stored = await app.get(TrackedNotificationRepository).findByNotificationId('rerender-1');
    expect(stored!.links.map((l) => l.url)).toEqual([
      'https://shop.example.com/kitchen',
      'https://shop.example.com/kitchen-v2',
    ]);
  });

  it('gives a notification about to be created the tracking it carries, and signs the same URLs from it alone', async () => {
    const notification = buildTrackedNotification({
      notificationId: 'ahead-1',
      experiment: { experimentId: 'digest', armId: 'journey' },
      journeyId: 'j-kitchen',
    });
    expect(tracking.embeddedFor(notification)).toEqual({
      links: [{ id: 'c1', url: 'https://shop.example.com/kitchen', key: expect.stringMatching(/^c1-/) }],
      experimentId: 'digest',
      armId: 'journey',
      journeyId: 'j-kitchen',
    });
    const ahead = tracking.issuedAhead(notification);
    const [click] = notification.links;
    const issued = await tracking.issue(notification);
    expect(ahead.resolveLink(click)).toBe(issued.resolveLink(click));
    expect(ahead.openPixelUrl).toBe(issued.openPixelUrl);
    expect(ahead.unsubscribeUrl).toBe(issued.unsubscribeUrl);
    expect(() => ahead.resolveLink(buildTrackedLink('c1', 'https://evil.example.com/'))).toThrow(TrackingError);
  });

  it('reads, counts and attributes a notification that carries its tracking, and records of their own as before', async () => {
    const repository = app.get(TrackedNotificationRepository);
    const carried = buildTrackedNotification({ notificationId: 'carried-1', userId: 'carrier' });
    await notificationsCollection().insertOne({
      notificationId: 'carried-1',
      runId: 'run-1',
      campaignId: 'digest',
      userId: 'carrier',
      channel: 'email',
      category: 'digest',
      state: 'queued',
      createdAt: AT,
      tracking: tracking.embeddedFor(carried),
    });
    expect(await repository.findByNotificationId('carried-1')).toMatchObject({
      userId: 'carrier',
      runId: 'run-1',
      issuedAt: AT,
      counts: {},
      links: [expect.objectContaining({ id: 'c1' })],
    });
    expect(await repository.findLastSent('carrier', AT, later(60))).toBeNull();

    // Issued in a record of its own and sent first; the carried one is sent later, by its acceptance.
    await tracking.issue(buildTrackedNotification({ notificationId: 'own-1', userId: 'carrier' }));
    await tracking.recordSent('own-1', later(1));
    await notificationsCollection().updateOne({ notificationId: 'carried-1' }, { $set: { sentAt: later(5) } });
    expect((await repository.findLastSent('carrier', AT, later(60)))!.notificationId).toBe('carried-1');
    expect((await repository.findLastSent('carrier', AT, later(2)))!.notificationId).toBe('own-1');

    expect(await repository.countFirst('carried-1', 'open', { open: 1 }, { firstOpenAt: later(6) })).toEqual({});
    expect(await repository.countFirst('carried-1', 'open', { open: 1 }, { firstOpenAt: later(7) })).toEqual({
      open: 1,
    });
    expect(await repository.countIfNone('carried-1', 'humanOpen', { humanOpen: 1 }, {})).toBe(true);
    expect(await repository.countIfNone('carried-1', 'humanOpen', { humanOpen: 1 }, {})).toBe(false);
    expect(await repository.count('own-1', { click: 1 })).toEqual({});
    expect(await repository.count('never-issued', { click: 1 })).toBeUndefined();
    expect(await repository.findByNotificationId('carried-1')).toMatchObject({
      sentAt: later(5),
      counts: { open: 2, humanOpen: 1 },
      firstOpenAt: later(6),
    });
    expect(await repository.findByNotificationId('own-1')).toMatchObject({ counts: { click: 1 } });
    // Nothing of the carried notification was written to tracking's own collection.
    expect(await ownRecords().countDocuments({ notificationId: 'carried-1' })).toBe(0);
  });

  it.each(['in-notification', 'own-record'] as const)(
    'writes the first-event times with the first event only, whatever time a repeat claims (%s)',
    async (stored) => {
      const repository = app.get(TrackedNotificationRepository);
      const notificationId = `firsts-${stored}`;
      const notification = buildTrackedNotification({
        notificationId,
        runId: notificationId,
        channel: 'push',
        links: [],
      });
      if (stored === 'own-record') {
        await tracking.issue(notification);
      } else {
        const { runId, campaignId, userId, channel, category } = notification;
        await notificationsCollection().insertOne({
          ...{ notificationId, runId, campaignId, userId, channel, category },
          state: 'sent',
          createdAt: AT,
          tracking: tracking.embeddedFor(notification),
        });
      }
      const opened = { firstOpenAt: later(30), firstHumanOpenAt: later(30) };
      const replayed = { firstOpenAt: later(10), firstHumanOpenAt: later(10) };

      expect(await repository.countFirst(notificationId, 'pushOpen', { pushOpen: 1 }, opened)).toEqual({});
      expect(await repository.countFirst(notificationId, 'pushOpen', { pushOpen: 1 }, replayed)).toEqual({
        pushOpen: 1,
      });
      expect(await repository.countFirst('never-issued', 'pushOpen', { pushOpen: 1 }, opened)).toBeUndefined();
      expect(await repository.findByNotificationId(notificationId)).toMatchObject({
        counts: { pushOpen: 2 },
        ...opened,
      });
    },
  );

  it('refuses a second issue of a notification id for another user', async () => {
    await tracking.issue(buildTrackedNotification({ notificationId: 'conflict-1' }));
    await expect(
      tracking.issue(buildTrackedNotification({ notificationId: 'conflict-1', userId: 'someone-else' })),
    ).rejects.toMatchObject({ code: 'tracking.conflict' });
  });

  it('stores one record when the same notification is issued concurrently', async () => {
    const notification = buildTrackedNotification({ notificationId: 'race-1' });
    const issued = await Promise.all(Array.from({ length: 8 }, () => tracking.issue(notification)));
    expect(new Set(issued.map((i) => i.openPixelUrl)).size).toBe(1);
    expect(await app.get(TrackedNotificationRepository).findByNotificationId('race-1')).toMatchObject({
      links: [expect.objectContaining({ id: 'c1' })],
    });
  });

  it('gives push notifications a push-open token and no pixel', async () => {
    const issued = await tracking.issue(
      buildTrackedNotification({ notificationId: 'push-1', channel: 'push', links: [] }),
    );
    expect(issued.openPixelUrl).toBeUndefined();
    expect(tokens.verify(issued.pushOpenToken!, 'push-open')).toMatchObject({
      valid: true,
      claims: { notificationId: 'push-1' },
    });
  });

  it('records the first send time only', async () => {
    await tracking.issue(buildTrackedNotification({ notificationId: 'sent-1' }));
    await tracking.recordSent('sent-1', AT);
    await tracking.recordSent('sent-1', new Date(AT.getTime() + 60_000));
    await tracking.recordSent('never-issued', AT);
    expect((await app.get(TrackedNotificationRepository).findByNotificationId('sent-1'))!.sentAt).toEqual(AT);
    expect(await tracking.eventsFor('sent-1')).toEqual([]);
  });

  it('unsubscribes per category or from everything', async () => {
    const service = app.get(RecipientPreferencesService);
    expect(await preferences.isUnsubscribed('pref-1', 'digest')).toBe(false);
    expect(await service.unsubscribe({ userId: 'pref-1', category: 'digest', at: AT, source: 'page' })).toBe(true);
    expect(await service.unsubscribe({ userId: 'pref-1', category: 'digest', at: AT, source: 'page' })).toBe(false);
    expect(await preferences.isUnsubscribed('pref-1', 'digest')).toBe(true);
    expect(await preferences.isUnsubscribed('pref-1', 'nudges')).toBe(false);
    await service.unsubscribe({ userId: 'pref-1', category: '*', at: AT, source: 'one-click' });
    expect(await preferences.isUnsubscribed('pref-1', 'nudges')).toBe(true);
    expect(await preferences.isUnsubscribed('pref-2', 'digest')).toBe(false);
  });

  it('suppresses addresses case-insensitively, keeps the first reason, and can lift one', async () => {
    expect(await preferences.suppressionOf('ana@example.com')).toBeUndefined();
    await preferences.suppress('Ana@Example.com ', 'hard-bounce', AT);
    await preferences.suppress('ana@example.com', 'complaint', AT);
    expect(await preferences.suppressionOf('ANA@example.COM')).toBe('hard-bounce');
    expect(await preferences.suppressionOf('bob@example.com')).toBeUndefined();
    // In one read, every spelling asked about is answered as it was given.
    expect(await preferences.suppressionsOf(['ANA@example.com', 'bob@example.com', 'ana@example.com'])).toEqual(
      new Map([
        ['ANA@example.com', 'hard-bounce'],
        ['ana@example.com', 'hard-bounce'],
      ]),
    );
    expect(await app.get(RecipientPreferencesService).lift('ana@example.com')).toBe(true);
    expect(await preferences.suppressionOf('ana@example.com')).toBeUndefined();
  });

  it('erases a user’s tracked notifications and unsubscribes', async () => {
    await tracking.issue(buildTrackedNotification({ notificationId: 'erase-1', userId: 'erase-me' }));
    await app
      .get(RecipientPreferencesService)
      .unsubscribe({ userId: 'erase-me', category: 'digest', at: AT, source: 'page' });
    const counts = await app.get(UserErasureRegistry).eraseAll('erase-me');
    expect(counts).toMatchObject({ tracking: 1, unsubscribes: 1 });
    expect(await app.get(TrackedNotificationRepository).findByNotificationId('erase-1')).toBeNull();
    expect(await preferences.isUnsubscribed('erase-me', 'digest')).toBe(false);
  });
});
