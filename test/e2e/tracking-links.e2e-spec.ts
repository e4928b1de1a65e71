import { buildCampaign } from '../factories/campaign.factory';
import { buildTrackedLink } from '../factories/tracked-notification.factory';
import { ExperimentOutcomeRepository } from '../../src/modules/experiments/experiment-outcome.repository';
import { ExperimentAssignments } from '../../src/modules/experiments/experiment-ports';
import { EngagementService } from '../../src/modules/tracking/engagement.service';
import { NotificationTracking, TrackedNotification } from '../../src/modules/tracking/notification-tracking';
import { TrackedNotificationRepository } from '../../src/modules/tracking/tracked-notification.repository';
import { TrackingEventRepository } from '../../src/modules/tracking/tracking-event.repository';
import { RankingExampleRepository } from '../../src/modules/ranking/ranking-example.repository';
import { useTestApp } from './support/test-app';
import { beforeNextCall, LINKS_BASE, pathOf, sendTracked, tampered, tokenOf } from './support/tracking';

const HOUR = 3_600_000;
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)';

describe('tracking links: open pixel, click redirect, push open', () => {
  const app = useTestApp({
    database: 'tracking_links',
    env: { PUBLIC_BASE_URL: LINKS_BASE, TRACKING_MACHINE_WINDOW_SECONDS: '600' },
  });
  const http = () => app.t.http();
  const events = (notificationId: string) =>
    app.t.db().collection('tracking_events').find({ notificationId }).sort({ _id: 1 }).toArray();
  const tracked = (notificationId: string) =>
    app.t.app.get(TrackedNotificationRepository).findByNotificationId(notificationId);
  const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR);
  const pixel = (path: string, agent = BROWSER) => http().get(path).set('User-Agent', agent).buffer(true);

  it('answers every pixel fetch with the same uncached GIF and records the first open once', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'open-1' }, hoursAgo(2));
    const first = await pixel(pathOf(issued.openPixelUrl!)).expect(200);
    const again = await pixel(pathOf(issued.openPixelUrl!)).expect(200);
    const forged = await pixel(`/t/o/${tampered(tokenOf(issued.openPixelUrl!))}`).expect(200);
    const garbage = await pixel('/t/o/not-a-token').expect(200);
    for (const res of [first, again, forged, garbage]) {
      expect(res.headers['content-type']).toBe('image/gif');
      expect(res.headers['cache-control']).toContain('no-store');
      expect(res.body).toEqual(first.body);
    }
    expect((first.body as Buffer).subarray(0, 6).toString()).toBe('GIF89a');
    expect((await events('open-1')).map((e) => [e.kind, e.repeat, e.machine])).toEqual([
      ['open', false, false],
      ['open', true, false],
    ]);
    // The counters total every fetch; the first decides the outcome, and its time is kept.
    const record = await tracked('open-1');
    expect(record).toMatchObject({ counts: { open: 2, humanOpen: 2 } });
    expect(record!.firstHumanOpenAt).toEqual((await events('open-1'))[0].at);
  });

  it('counts one first open when the pixel is fetched many times at once', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'race-1' }, hoursAgo(2));
    await Promise.all(Array.from({ length: 8 }, () => pixel(pathOf(issued.openPixelUrl!)).expect(200)));
    const logged = await events('race-1');
    expect(logged).toHaveLength(8);
    expect(logged.filter((e) => !e.repeat)).toHaveLength(1);
  });

  it('keeps the network and user agent, never the full address, and ignores X-Forwarded-For with no proxy hops', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'privacy-1' }, hoursAgo(2));
    await pixel(pathOf(issued.openPixelUrl!)).set('X-Forwarded-For', '17.1.2.3').expect(200);
    const [event] = await events('privacy-1');
    expect(event).toMatchObject({ network: '127.0.0.0/24', userAgent: BROWSER, machine: false });
    expect(JSON.stringify(event)).not.toContain('127.0.0.1');
  });

  it('redirects a click to the stored target only, and refuses tampered or unknown links with a 404 page', async () => {
    const { issued, notification } = await sendTracked(app.t.app, { notificationId: 'click-1' }, hoursAgo(2));
    const url = issued.resolveLink(notification.links[0]);
    const res = await http().get(pathOf(url)).set('User-Agent', BROWSER).expect(302);
    expect(res.headers.location).toBe('https://shop.example.com/kitchen');
    await http().get(pathOf(url)).set('User-Agent', BROWSER).expect(302);

    const tokens = [tampered(tokenOf(url)), 'v1.test.e30.AAAA', tokenOf(issued.openPixelUrl!)];
    for (const token of tokens) {
      const refused = await http().get(`/t/c/${token}`).expect(404);
      expect(refused.headers.location).toBeUndefined();
      expect(refused.headers['content-type']).toContain('text/html');
    }
    // A link of another message cannot lead to its target through this message's token.
    const other = await sendTracked(app.t.app, { notificationId: 'click-2' }, hoursAgo(2));
    const otherToken = tokenOf(other.issued.resolveLink(other.notification.links[0]));
    expect(otherToken).not.toBe(tokenOf(url));
    expect((await events('click-1')).map((e) => [e.kind, e.repeat, e.url ?? null])).toEqual([
      ['click', false, 'https://shop.example.com/kitchen'],
      ['open', false, null],
      ['click', true, 'https://shop.example.com/kitchen'],
    ]);
  });

  it.each([
    ['a path in another script', 'https://shop.example.com/p/日本', 'https://shop.example.com/p/%E6%97%A5%E6%9C%AC'],
    ['an accented path', 'https://shop.example.com/p/café?q=thé', 'https://shop.example.com/p/caf%C3%A9?q=th%C3%A9'],
    ['a space', 'https://shop.example.com/p/a b', 'https://shop.example.com/p/a%20b'],
    [
      'a line break',
      'https://shop.example.com/p/x\r\nSet-Cookie: a=b',
      'https://shop.example.com/p/xSet-Cookie:%20a=b',
    ],
    ['an internationalized host', 'https://bücher.example/', 'https://xn--bcher-kva.example/'],
    ['no slashes after the scheme', 'https:evil.example/x', 'https://evil.example/x'],
    ['a backslash after the scheme', 'https:/\\evil.example', 'https://evil.example/'],
  ])('redirects a stored target with %s to the URL it names, written out in ASCII', async (what, url, location) => {
    const notificationId = `odd-${what.replace(/\W+/g, '-')}`;
    const { issued, notification } = await sendTracked(
      app.t.app,
      { notificationId, links: [buildTrackedLink('c1', url)] },
      hoursAgo(2),
    );
    const res = await http()
      .get(pathOf(issued.resolveLink(notification.links[0])))
      .set('User-Agent', BROWSER)
      .expect(302);
    expect(res.headers.location).toBe(location);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await events(notificationId)).map((e) => [e.kind, e.url ?? null])).toEqual([
      ['click', location],
      ['open', null],
    ]);
  });

  it('answers a link whose path holds a broken percent-escape as it answers a bad token', async () => {
    const broken = '%E0%A4%A';
    const image = await pixel(`/t/o/${broken}`).expect(200);
    expect(image.headers['content-type']).toBe('image/gif');
    for (const path of [`/t/c/${broken}`, `/t/u/${broken}`, `/t/u/v1.x%ZZ`]) {
      const page = await http().get(path).set('User-Agent', BROWSER).expect(404);
      expect(page.headers['content-type']).toContain('text/html');
    }
    const posted = await http().post(`/t/u/${broken}`).type('form').send({ 'List-Unsubscribe': 'One-Click' });
    expect(posted.status).toBe(404);
    expect(posted.headers['content-type']).toContain('text/html');
  });

  it.each([
    ['no URL', 'https://exa mple.com/'],
    ['a javascript: URL', 'javascript:alert(document.domain)'],
    ['a javascript: URL with a tab in its scheme', 'java\tscript:alert(1)'],
    ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['a vbscript: URL', 'VBScript:msgbox(1)'],
  ])('answers a stored target that is %s with the 404 page and records nothing', async (what, url) => {
    const notificationId = `no-url-${what.replace(/\W+/g, '-')}`;
    const { issued, notification } = await sendTracked(
      app.t.app,
      { notificationId, links: [buildTrackedLink('c1', url)] },
      hoursAgo(2),
    );
    const res = await http()
      .get(pathOf(issued.resolveLink(notification.links[0])))
      .set('User-Agent', BROWSER)
      .expect(404);
    expect(res.headers.location).toBeUndefined();
    expect(await events(notificationId)).toEqual([]);
  });

  it('still verifies, redirects and counts notifications whose tracking is in a record of its own', async () => {
    const { issued, notification } = await sendTracked(
      app.t.app,
      { notificationId: 'own-1' },
      hoursAgo(2),
      'own-record',
    );
    const url = issued.resolveLink(notification.links[0]);
    const res = await http().get(pathOf(url)).set('User-Agent', BROWSER).expect(302);
    expect(res.headers.location).toBe('https://shop.example.com/kitchen');
    await pixel(pathOf(issued.openPixelUrl!)).expect(200);
    await http()
      .get(`/t/c/${tampered(tokenOf(url))}`)
      .expect(404);
    expect(await tracked('own-1')).toMatchObject({ counts: { click: 1, humanClick: 1, open: 2, humanOpen: 2 } });
    expect(await app.t.db().collection('tracked_notifications').countDocuments({ notificationId: 'own-1' })).toBe(1);
    expect((await events('own-1')).map((e) => [e.kind, e.repeat])).toEqual([
      ['click', false],
      ['open', false],
      ['open', true],
    ]);
  });

  it('flags machine fetches: Apple Mail privacy prefetch, scanners, HEAD, and fetches right after sending', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'machine-1' }, hoursAgo(2));
    await pixel(pathOf(issued.openPixelUrl!), 'Mozilla/5.0').expect(200);
    await pixel(pathOf(issued.openPixelUrl!), 'Mozilla/5.0 (compatible; Barracuda Sentinel)').expect(200);
    await http().head(pathOf(issued.openPixelUrl!)).set('User-Agent', BROWSER).expect(200);
    const soon = await sendTracked(app.t.app, { notificationId: 'machine-2' }, hoursAgo(0.01));
    await pixel(pathOf(soon.issued.openPixelUrl!)).expect(200);
    const google = await sendTracked(app.t.app, { notificationId: 'machine-3' }, hoursAgo(2));
    await pixel(pathOf(google.issued.openPixelUrl!), 'Mozilla/5.0 (via ggpht.com GoogleImageProxy)').expect(200);

    expect((await events('machine-1')).map((e) => [e.machine, e.machineReason, e.repeat])).toEqual([
      [true, 'apple-mpp', false],
      [true, 'scanner', true],
      [true, 'head-request', true],
    ]);
    expect(await tracked('machine-1')).toMatchObject({ counts: { open: 3 } });
    expect((await tracked('machine-1'))!.firstHumanOpenAt).toBeUndefined();
    expect((await events('machine-2'))[0]).toMatchObject({ machine: true, machineReason: 'too-soon' });
    expect((await events('machine-3'))[0]).toMatchObject({ machine: false, proxy: 'google' });
    const view = await app.t.app.get(NotificationTracking).eventsFor('machine-1');
    expect(view[0]).toMatchObject({ kind: 'open', machine: true, detail: 'apple-mpp' });
  });

  it('records a push open posted by the app once, with no API key; a forged token is a 404 that changes nothing', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'push-1', channel: 'push' }, hoursAgo(2));
    const token = issued.pushOpenToken!;
    await http().post('/v1/track/push-open').send({ token }).expect(204);
    await http()
      .post('/v1/track/push-open')
      .send({ token, openedAt: hoursAgo(1).toISOString() })
      .expect(204);
    await http()
      .post('/v1/track/push-open')
      .send({ token: tampered(token) })
      .expect(404);
    await http().post('/v1/track/push-open').send({ token: 'nope' }).expect(404);
    const bad = await http().post('/v1/track/push-open').send({ token, openedAt: 'yesterday' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['openedAt']);
    expect((await events('push-1')).map((e) => [e.kind, e.repeat])).toEqual([
      ['push-open', false],
      ['push-open', true],
    ]);
    expect(await tracked('push-1')).toMatchObject({ counts: { pushOpen: 2 } });
  });

  it('refuses openedAt sent as null with a 400 that says what it must be, and records nothing', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'push-null', channel: 'push' }, hoursAgo(2));
    const res = await http()
      .post('/v1/track/push-open')
      .send({ token: issued.pushOpenToken!, openedAt: null })
      .expect(400);
    expect(res.body.errors).toEqual([
      { field: 'openedAt', message: 'openedAt must be a valid ISO-8601 timestamp with a time zone' },
    ]);
    expect(await events('push-null')).toEqual([]);
  });

  it('keeps the first push open when its token is posted again with an earlier openedAt', async () => {
    const { issued } = await sendTracked(app.t.app, { notificationId: 'push-replay', channel: 'push' }, hoursAgo(3));
    const token = issued.pushOpenToken!;
    const [firstOpen, earlier] = [hoursAgo(1), hoursAgo(2.9)];
    await http().post('/v1/track/push-open').send({ token, openedAt: firstOpen.toISOString() }).expect(204);
    await http().post('/v1/track/push-open').send({ token, openedAt: earlier.toISOString() }).expect(204);
    expect((await events('push-replay')).map((e) => [e.repeat, e.at])).toEqual([
      [false, firstOpen],
      [true, earlier],
    ]);
    expect(await tracked('push-replay')).toMatchObject({
      counts: { pushOpen: 2 },
      firstOpenAt: firstOpen,
      firstHumanOpenAt: firstOpen,
    });
  });

  it('takes a push tapped through to a link before the app reported its open as opened at the click', async () => {
    const { issued, notification } = await sendTracked(
      app.t.app,
      { notificationId: 'push-click', channel: 'push' },
      hoursAgo(3),
    );
    await http()
      .get(pathOf(issued.resolveLink(notification.links[0])))
      .set('User-Agent', BROWSER)
      .expect(302);
    const [click] = await events('push-click');
    await http()
      .post('/v1/track/push-open')
      .send({ token: issued.pushOpenToken!, openedAt: hoursAgo(2).toISOString() })
      .expect(204);
    expect((await events('push-click')).map((e) => [e.kind, e.repeat])).toEqual([
      ['click', false],
      ['push-open', false],
      ['push-open', true],
    ]);
    expect(await tracked('push-click')).toMatchObject({
      counts: { pushOpen: 2 },
      firstOpenAt: click.at,
      firstHumanOpenAt: click.at,
      firstClickAt: click.at,
    });
  });

  it('moves no first open or click time with a repeated pixel or click handled late, at an earlier time', async () => {
    const { issued, notification } = await sendTracked(app.t.app, { notificationId: 'late-1' }, hoursAgo(3));
    const engagement = app.t.app.get(EngagementService);
    const facts = { method: 'GET', userAgent: BROWSER, address: '127.0.0.1' };
    const openToken = tokenOf(issued.openPixelUrl!);
    const clickToken = tokenOf(issued.resolveLink(notification.links[0]));
    const prefetch = { ...facts, userAgent: 'Mozilla/5.0' };
    const [first, earlier] = [hoursAgo(1), hoursAgo(2)];
    for (const at of [first, earlier]) {
      // The second round is repeats handled with an earlier time: a slow request, or another replica's clock.
      await engagement.recordOpen(openToken, prefetch, at);
      await engagement.recordOpen(openToken, facts, at);
      await engagement.recordClick(clickToken, facts, at);
    }
    expect(await tracked('late-1')).toMatchObject({
      counts: { open: 4, humanOpen: 2, click: 2, humanClick: 2 },
      firstOpenAt: first,
      firstHumanOpenAt: first,
      firstClickAt: first,
    });
  });

  describe('a user erased while their open, click or push open is handled', () => {
    const erase = (userId: string) =>
      http().delete(`/v1/users/${userId}`).set('Authorization', `Bearer ${app.admin}`).expect(200);
    const userEvents = (userId: string) => app.t.db().collection('tracking_events').countDocuments({ userId });
    /** Sends `userId` a message, and gives the request that opens it, clicks its link or reports its push open. */
    const engage = async (
      kind: 'open' | 'click' | 'push-open',
      userId: string,
      stored: 'in-notification' | 'own-record',
      experiment?: TrackedNotification['experiment'],
    ) => {
      const channel = kind === 'push-open' ? 'push' : 'email';
      const { issued, notification } = await sendTracked(
        app.t.app,
        { notificationId: `erased-${kind}-${stored}-${userId}`, userId, channel, ...(experiment && { experiment }) },
        hoursAgo(2),
        stored,
      );
      return () => {
        if (kind === 'open') return pixel(pathOf(issued.openPixelUrl!)).expect(200);
        if (kind === 'push-open') return http().post('/v1/track/push-open').send({ token: issued.pushOpenToken! });
        return http()
          .get(pathOf(issued.resolveLink(notification.links[0])))
          .set('User-Agent', BROWSER);
      };
    };
    /** Each engagement, with its tracking in the notification or in a record of its own. */
    const ENGAGEMENTS = [
      ['open', 'in-notification'],
      ['click', 'in-notification'],
      ['push-open', 'in-notification'],
      ['open', 'own-record'],
      ['click', 'own-record'],
    ] as const;
    afterEach(() => jest.restoreAllMocks());

    it.each(ENGAGEMENTS)(
      'leaves no event of a %s (tracking %s) counted just before the erasure',
      async (kind, stored) => {
        const userId = `gone-${kind}-${stored}`;
        const request = await engage(kind, userId, stored);
        // The event was counted against a notification that existed; the whole erasure runs before it is logged.
        beforeNextCall(app.t.app.get(TrackingEventRepository), 'append', () => erase(userId));
        await request();
        expect(await userEvents(userId)).toBe(0);
      },
    );

    it.each(ENGAGEMENTS)(
      'leaves no experiment outcome of a %s (tracking %s) attributed just before the erasure',
      async (kind, stored) => {
        const userId = `outcome-gone-${kind}-${stored}`;
        const campaign = buildCampaign({ id: 'digest', channel: kind === 'push-open' ? 'push' : 'email' });
        const decision = await app.t.app
          .get(ExperimentAssignments)
          .assign({ campaign, runId: 'r-erased', userId, now: hoursAgo(3) });
        const experiment = { experimentId: decision.experimentId!, armId: decision.armId! };
        const request = await engage(kind, userId, stored, experiment);
        const log = app.t.app.get(ExperimentOutcomeRepository);
        // The outcome was attributed to the user's assignment; the whole erasure runs before it is logged.
        beforeNextCall(log, 'insert', () => erase(userId));
        await request();
        expect(log.insert).toHaveBeenCalled();
        expect(await app.t.db().collection('experiment_outcomes').countDocuments({ userId })).toBe(0);
      },
    );

    it('leaves no event of an open counted as the erasure reaches the records of their own', async () => {
      const userId = 'gone-own-record-late';
      const request = await engage('open', userId, 'own-record');
      const records = app.t.app.get(TrackedNotificationRepository);
      const deleteByUser = records.deleteByUser.bind(records);
      // The pixel is fetched, counted and logged while the notification's record is still there.
      jest.spyOn(records, 'deleteByUser').mockImplementationOnce(async (id) => {
        await request();
        return deleteByUser(id);
      });
      await erase(userId);
      expect(await userEvents(userId)).toBe(0);
    });
  });

  it('passes the first human open and click to ranking examples and experiment outcomes', async () => {
    const campaign = buildCampaign({ id: 'outcomes', channel: 'email', template: 'email/weekly-digest' });
    const decision = await app.t.app
      .get(ExperimentAssignments)
      .assign({ campaign, runId: 'r1', userId: 'eve', now: hoursAgo(3) });
    const experiment = { experimentId: decision.experimentId!, armId: decision.armId! };
    const sentAt = hoursAgo(2);
    const ranking = { journeyId: 'j1', journeyName: 'Kitchen', features: { score: 1 } };
    const notifications = app.t.db().collection('notifications');
    // One notification carries its example (as a run's fan-out creates it); one had it logged on its own,
    // as earlier versions did.
    const engage = async (notificationId: string) => {
      const notification = { notificationId, userId: 'eve', campaignId: 'outcomes', journeyId: 'j1', experiment };
      const { issued, notification: sent } = await sendTracked(app.t.app, notification, sentAt);
      const examples = app.t.db().collection('ranking_examples');
      await (notificationId === 'outcome-1'
        ? notifications.updateOne({ notificationId }, { $set: { ranking } })
        : examples.insertOne({ notificationId, userId: 'eve', ...ranking, sentAt }));
      await pixel(pathOf(issued.openPixelUrl!), 'Mozilla/5.0').expect(200);
      await pixel(pathOf(issued.openPixelUrl!)).expect(200);
      await pixel(pathOf(issued.openPixelUrl!)).expect(200);
      await http()
        .get(pathOf(issued.resolveLink(sent.links[0])))
        .set('User-Agent', BROWSER)
        .expect(302);
    };
    await engage('outcome-1');
    await engage('outcome-2');

    const carried = await notifications.findOne({ notificationId: 'outcome-1' });
    expect(carried!.ranking).toMatchObject({ ...ranking, openedAt: expect.any(Date), clickedAt: expect.any(Date) });
    const logged = await app.t.db().collection('ranking_examples').findOne({ notificationId: 'outcome-2' });
    expect(logged!.openedAt).toBeInstanceOf(Date);
    expect(logged!.clickedAt).toBeInstanceOf(Date);
    // Both labelled as the retrain would once their 72-hour attribution window has passed.
    const settled = hoursAgo(-72);
    const examples = await app.t.app.get(RankingExampleRepository).findLabelled(hoursAgo(3), settled, 72);
    expect(examples.filter((e) => e.userId === 'eve').map((e) => e.label)).toEqual([1, 1]);
    const outcomes = await app.t
      .db()
      .collection('experiment_outcomes')
      .find({ userId: 'eve', notificationId: 'outcome-1' })
      .toArray();
    expect(outcomes.map((o) => [o.kind, o.machine ?? null]).sort()).toEqual([
      ['click', null],
      ['open', false],
      ['open', true],
    ]);
  });
});
