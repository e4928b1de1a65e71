import { INestApplicationContext, Module } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { EmbeddedMongo } from '../../../src/embedded-mongo';
import { ExperimentAssignments } from '../../../src/modules/experiments/experiment-ports';
import { EngagementService, RequestFacts } from '../../../src/modules/tracking/engagement.service';
import { NotificationTracking, TrackedNotification } from '../../../src/modules/tracking/notification-tracking';
import { TrackedNotificationRepository } from '../../../src/modules/tracking/tracked-notification.repository';
import { TrackingModule } from '../../../src/modules/tracking/tracking.module';
import { TrackingEventRepository } from '../../../src/modules/tracking/tracking-event.repository';
import { TrackingOutcomesModule } from '../../../src/modules/tracking/tracking-outcomes.module';
import { countCommands } from '../../setup/command-tally';
import { buildCampaign } from '../../factories/campaign.factory';
import { buildTrackedNotification } from '../../factories/tracked-notification.factory';
import { startTestMongo } from '../../setup/mongo';
import { startTestRedis } from '../../setup/redis';
import { startNestContext } from '../../setup/nest-context';
import { testSettings } from '../../setup/settings';

/** The engagement service without the HTTP controllers that call it. */
@Module({ imports: [TrackingModule, TrackingOutcomesModule], providers: [EngagementService] })
class EngagementTestModule {}

const HOUR = 3_600_000;
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)';
const PERSON: RequestFacts = { method: 'GET', userAgent: BROWSER, address: '127.0.0.1' };
/** Apple Mail's privacy proxy: a machine fetch. */
const PREFETCH: RequestFacts = { ...PERSON, userAgent: 'Mozilla/5.0' };

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

describe(EngagementService.name, () => {
  let mongo: EmbeddedMongo;
  let redis: RedisProcess;
  let app: INestApplicationContext;
  let engagement: EngagementService;
  const db = () => app.get<Connection>(getConnectionToken());
  const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR);

  beforeAll(async () => {
    [mongo, redis] = await Promise.all([startTestMongo(), startTestRedis()]);
    const settings = testSettings(mongo.uri, redis.url, 'engagement', { PUBLIC_BASE_URL: 'https://links.example.com' });
    app = await startNestContext(settings, [EngagementTestModule]);
    engagement = app.get(EngagementService);
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([mongo?.stop(), redis?.stop()]);
  });

  /** A notification carrying its tracking, sent two hours ago; its pixel and first link's tokens. */
  async function send(overrides: Partial<TrackedNotification>) {
    const tracking = app.get(NotificationTracking);
    const notification = buildTrackedNotification(overrides);
    const { notificationId, campaignId, userId, channel, category } = notification;
    const sentAt = hoursAgo(2);
    await db()
      .collection('notifications')
      .insertOne({
        ...{ notificationId, runId: `run-of-${notificationId}`, campaignId, userId, channel, category },
        state: 'sent',
        createdAt: sentAt,
        sentAt,
        tracking: tracking.embeddedFor(notification),
      });
    const issued = tracking.issuedAhead({ ...notification, runId: `run-of-${notificationId}` });
    return {
      open: issued.openPixelUrl && tokenOf(issued.openPixelUrl),
      click: tokenOf(issued.resolveLink(notification.links[0])),
      pushOpen: issued.pushOpenToken,
    };
  }

  /** The user's arm in an experiment of `campaignId`, decided three hours ago. */
  async function enrol(campaignId: string, userId: string) {
    const campaign = buildCampaign({ id: campaignId, channel: 'email', template: 'email/weekly-digest' });
    const decision = await app
      .get(ExperimentAssignments)
      .assign({ campaign, runId: `run-${campaignId}`, userId, now: hoursAgo(3) });
    return { experimentId: decision.experimentId!, armId: decision.armId! };
  }

  /** The database commands `work` sends, as `command collection` → round trips, and how many came back empty. */
  async function commandsOf(work: () => Promise<unknown>) {
    const counting = countCommands();
    try {
      await work();
      return [...counting.take()].map(([key, w]) => ({ key: key.trim(), calls: w.calls, empty: w.empty }));
    } finally {
      counting.stop();
    }
  }

  describe('the open a click implies', () => {
    it('writes nothing for it when the read already showed the open', async () => {
      const tokens = await send({ notificationId: 'opened-then-clicked', userId: 'ann' });
      await engagement.recordOpen(tokens.open!, PERSON);
      const commands = await commandsOf(() => engagement.recordClick(tokens.click, PERSON));
      const writes = commands.filter((c) => c.key.startsWith('findAndModify'));
      // The click's own counter only; none that could not match.
      expect(writes).toEqual([{ key: 'findAndModify notifications', calls: 1, empty: 0 }]);
      expect(await app.get(TrackedNotificationRepository).findByNotificationId('opened-then-clicked')).toMatchObject({
        counts: { open: 1, humanOpen: 1, click: 1, humanClick: 1 },
      });
    });

    it.each<[string, RequestFacts[]]>([
      ['its pixel was blocked', []],
      ['only a privacy proxy fetched its pixel', [PREFETCH]],
    ])('counts the first human click as the first human open when %s', async (_, fetches) => {
      const notificationId = `blocked-${fetches.length}`;
      const tokens = await send({ notificationId, userId: `bo-${fetches.length}` });
      for (const fetch of fetches) await engagement.recordOpen(tokens.open!, fetch, hoursAgo(1));
      const clickedAt = new Date();
      await engagement.recordClick(tokens.click, PERSON, clickedAt);
      const events = await db()
        .collection('tracking_events')
        .find({ notificationId, machine: false })
        .sort({ _id: 1 })
        .toArray();
      expect(events.map((e) => [e.kind, e.repeat, e.source ?? null])).toEqual([
        ['click', false, null],
        ['open', false, 'click'],
      ]);
      expect(await app.get(TrackedNotificationRepository).findByNotificationId(notificationId)).toMatchObject({
        counts: { open: fetches.length + 1, humanOpen: 1 },
        firstHumanOpenAt: clickedAt,
      });
    });

    describe('an open and a click racing', () => {
      afterEach(() => jest.restoreAllMocks());

      /** Enrols the user, sends the notification, and races its open and click as `race` orders them. */
      async function race(
        notificationId: string,
        order: (open: () => Promise<void>, click: () => Promise<unknown>) => Promise<unknown>,
      ) {
        const userId = `racer-${notificationId}`;
        const experiment = await enrol('race', userId);
        const tokens = await send({ notificationId, userId, campaignId: 'race', experiment });
        await order(
          () => engagement.recordOpen(tokens.open!, PERSON),
          () => engagement.recordClick(tokens.click, PERSON),
        );
        const opens = await db().collection('tracking_events').find({ notificationId, kind: 'open' }).toArray();
        const outcomes = db().collection('experiment_outcomes');
        return {
          firsts: opens.filter((e) => !e.repeat).map((e) => e.source ?? 'pixel'),
          openOutcomes: await outcomes.countDocuments({ notificationId, kind: 'open' }),
          clickOutcomes: await outcomes.countDocuments({ notificationId, kind: 'click' }),
        };
      }

      it('keeps the pixel first when it lands between the click’s read and its inferred open', async () => {
        const notifications = app.get(TrackedNotificationRepository);
        const countIfNone = notifications.countIfNone.bind(notifications);
        const result = await race('race-pixel', (open, click) => {
          jest.spyOn(notifications, 'countIfNone').mockImplementationOnce(async (...args) => {
            await open();
            return countIfNone(...args);
          });
          return click();
        });
        expect(result).toEqual({ firsts: ['pixel'], openOutcomes: 1, clickOutcomes: 1 });
      });

      it('keeps the inferred open first when the click lands between the pixel’s read and its count', async () => {
        const notifications = app.get(TrackedNotificationRepository);
        const find = notifications.findByNotificationId.bind(notifications);
        const result = await race('race-click', (open, click) => {
          jest.spyOn(notifications, 'findByNotificationId').mockImplementationOnce(async (id) => {
            const before = await find(id);
            await click();
            return before;
          });
          return open();
        });
        expect(result).toEqual({ firsts: ['click'], openOutcomes: 1, clickOutcomes: 1 });
      });

      it('records one first open when many opens and clicks arrive at once', async () => {
        const result = await race('race-many', (open, click) =>
          Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? click() : open()))),
        );
        expect(result.firsts).toHaveLength(1);
        expect(result).toMatchObject({ openOutcomes: 1, clickOutcomes: 1 });
      });
    });
  });

  describe('experiment outcomes', () => {
    const experimentReads = (commands: Array<{ key: string }>) =>
      commands.filter((c) => c.key.includes(' experiment_')).map((c) => c.key);

    it('reads no experiment collection for the first engagements of a notification sent under none', async () => {
      const email = await send({ notificationId: 'plain-email', userId: 'pat' });
      const push = await send({ notificationId: 'plain-push', userId: 'pat', channel: 'push' });
      expect(experimentReads(await commandsOf(() => engagement.recordOpen(email.open!, PERSON)))).toEqual([]);
      expect(experimentReads(await commandsOf(() => engagement.recordClick(email.click, PERSON)))).toEqual([]);
      expect(experimentReads(await commandsOf(() => engagement.recordPushOpen(push.pushOpen!)))).toEqual([]);
      const events = await db().collection('tracking_events').find({ userId: 'pat', repeat: false }).toArray();
      expect(events.map((e) => e.kind).sort()).toEqual(['click', 'open', 'push-open']);
    });

    it('counts the first click in the experiment when logging it failed and the person clicked again', async () => {
      const experiment = await enrol('retried', 'rex');
      const email = await send({ notificationId: 'retried-email', userId: 'rex', campaignId: 'retried', experiment });
      const lost = jest
        .spyOn(app.get(TrackingEventRepository), 'append')
        .mockRejectedValueOnce(new Error('connection lost'));
      await expect(engagement.recordClick(email.click, PERSON)).rejects.toThrow('connection lost');
      lost.mockRestore();
      expect(await engagement.recordClick(email.click, PERSON)).toBeDefined();
      const outcomes = await db().collection('experiment_outcomes').find({ notificationId: 'retried-email' }).toArray();
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['click', 'open']);
    });

    it('counts the first engagements of a notification sent under an experiment in it', async () => {
      const experiment = await enrol('tested', 'quinn');
      const email = await send({ notificationId: 'tested-email', userId: 'quinn', campaignId: 'tested', experiment });
      await engagement.recordOpen(email.open!, PERSON);
      await engagement.recordClick(email.click, PERSON);
      const outcomes = await db().collection('experiment_outcomes').find({ notificationId: 'tested-email' }).toArray();
      expect(outcomes.map((o) => [o.kind, o.attributions[0].experimentId]).sort()).toEqual([
        ['click', experiment.experimentId],
        ['open', experiment.experimentId],
      ]);
    });
  });
});
