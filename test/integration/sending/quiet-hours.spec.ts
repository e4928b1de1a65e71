import { getQueueToken } from '@nestjs/bull';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bull';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { RunExplainService } from '../../../src/modules/campaigns/runs/run-explain.service';
import { DELIVERY_QUEUE } from '../../../src/modules/delivery/jobs/delivery.queue';
import { FrequencyCaps } from '../../../src/modules/delivery/frequency-caps';
import { NotificationBatchDelivery } from '../../../src/modules/delivery/notification-batch-delivery.service';
import { NotificationDeliveryService } from '../../../src/modules/delivery/notification-delivery.service';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { SmtpSink } from '../../setup/smtp-sink';
import { zoneAt } from '../../setup/zones';
import { campaignsDir, seedUser } from '../campaigns/campaigns-harness';
import {
  activate,
  KITCHEN_JOURNEY,
  NIGHTLY_CAMPAIGN,
  notificationsOf,
  queuedDigestRun,
  startSending,
  until,
} from './sending-harness';

const nightly = NIGHTLY_CAMPAIGN;
const quietHours = { start: nightly.quietHours.start, end: nightly.quietHours.end };
const nightlyDrop = {
  ...nightly,
  id: 'nightly-drop',
  name: 'Nightly drop',
  quietHours: { ...quietHours, whenQuiet: 'drop' },
};
const nightlyCapped = {
  ...nightly,
  id: 'nightly-capped',
  name: 'Nightly capped',
  frequencyCaps: [{ max: 1, withinHours: 24, scope: 'channel' }],
};
const users = ['ana', 'ben'];

/**
 * Quiet hours are the user's night where they are when the message goes out: a user who moves to another zone
 * after the fan-out queued their message, into the middle of their night there, is not woken by it.
 */
describe('quiet hours: a user who changes time zone, a run cancelled while its messages wait', () => {
  let sink: SmtpSink;
  let app: INestApplicationContext;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    ({ app, stop } = await startSending('quiet-hours', {
      CAMPAIGNS_DIR: campaignsDir([nightly, nightlyDrop, nightlyCapped]),
      SMTP_URL: sink.url,
    }));
    await activate(app, nightly.id, nightlyDrop.id, nightlyCapped.id);
  });

  afterAll(async () => {
    await stop?.();
    await sink?.stop();
  });

  const placeUsers = async (timeZone: string) => {
    for (const userId of users) {
      await seedUser(app, userId, {
        now: new Date(),
        profile: { email: `${userId}@example.com`, timeZone },
        journeys: [KITCHEN_JOURNEY],
      });
    }
  };
  const moveTo = (timeZone: string) =>
    Promise.all(
      users.map((userId) =>
        app.get(UsersService).putUser(userId, {
          email: `${userId}@example.com`,
          timeZone,
          consent: { email: true, push: true },
        } as PutUserDto),
      ),
    );

  /** Queues a run of `campaignId` in the afternoon of the users' zone, then moves them to where it is 2 a.m. */
  async function queuedThenMoved(campaignId: string) {
    await placeUsers(zoneAt(14));
    const queued = await queuedDigestRun(app, users.length, campaignId);
    for (const n of (await notificationsOf(app, queued.runId)).values()) expect(n.state).toBe('queued');
    const night = zoneAt(2);
    await moveTo(night);
    return { ...queued, night, before: sink.messages.length };
  }

  it('waits for the end of the night in the zone the user is in now, one by one and in a batch', async () => {
    const { runId, ids, night, before } = await queuedThenMoved(nightly.id);
    const single = await app.get(NotificationDeliveryService).deliver(ids.get('ana')!);
    const batch = await app.get(NotificationBatchDelivery).deliverMany([ids.get('ben')!]);
    expect(sink.messages.length).toBe(before);
    // 08:00 there is six hours after 02:00, give or take the minutes past the hour.
    const morning = Date.now() + 6 * 3_600_000;
    for (const outcome of [single, batch.get(ids.get('ben')!)!]) {
      expect(outcome).toMatchObject({ kind: 'again', why: 'quiet-hours' });
      const at = (outcome as { at: Date }).at.getTime();
      expect(Math.abs(at - morning)).toBeLessThanOrEqual(3_600_000);
    }
    for (const n of (await notificationsOf(app, runId)).values()) {
      expect(n).toMatchObject({ state: 'queued', timeZone: night });
      expect(Math.abs(n.notBefore!.getTime() - morning)).toBeLessThanOrEqual(3_600_000);
    }
  });

  it('drops it for a campaign that drops messages due in the quiet hours, one by one and in a batch', async () => {
    const { runId, ids, night, before } = await queuedThenMoved(nightlyDrop.id);
    await app.get(NotificationDeliveryService).deliver(ids.get('ana')!);
    await app.get(NotificationBatchDelivery).deliverMany([ids.get('ben')!]);
    expect(sink.messages.length).toBe(before);
    for (const n of (await notificationsOf(app, runId)).values()) {
      expect(n).toMatchObject({
        state: 'suppressed',
        reason: { code: 'quiet-hours', value: `21:00-08:00 ${night}` },
      });
    }
  });

  it('gives back the cap slot of a message waiting for the morning as soon as its run is cancelled', async () => {
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    await seedUser(app, 'cy', {
      now: new Date(),
      profile: { email: 'cy@example.com', timeZone: zoneAt(2) },
      journeys: [KITCHEN_JOURNEY],
    });
    const runs = app.get(CampaignRunsService);
    const { runId } = await runs.startManual(nightlyCapped.id, 'test');
    const cy = async () => (await notificationsOf(app, runId)).get('cy');
    await until(async () => (await cy())?.state === 'queued', 20_000);
    expect((await cy())!.notBefore!.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    await runs.cancel(runId, 'test');
    // Settled now, not in the morning, and its slot is free for another campaign's message tonight.
    await until(async () => (await cy())?.state === 'suppressed', 10_000);
    expect(await cy()).toMatchObject({ reason: { code: 'run-cancelled' } });
    const subject = { userId: 'cy', channel: 'email', campaignId: 'other' };
    const cap = [{ max: 1, withinHours: 24, scope: 'channel' as const }];
    // The slot is given back right after the suppression is written; a refused reservation takes nothing.
    let verdict: unknown;
    const reserve = async () =>
      (verdict = await app.get(FrequencyCaps).reserve(subject, cap, new Date(), 'other-message'));
    await until(async () => ((await reserve()) as { granted: boolean }).granted, 5_000).catch(() => undefined);
    expect(verdict).toEqual({ granted: true });
  });

  it('judges a message waiting for the morning again when its user moves: out of the night it goes now', async () => {
    await app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).resume(true);
    for (const userId of ['di', 'ed']) {
      await seedUser(app, userId, {
        now: new Date(),
        profile: { email: `${userId}@example.com`, timeZone: zoneAt(2) },
        journeys: [KITCHEN_JOURNEY],
      });
    }
    const { runId } = await app.get(CampaignRunsService).startManual(nightly.id, 'test');
    const of = async (userId: string) => (await notificationsOf(app, runId)).get(userId);
    await until(async () => (await of('di'))?.state === 'queued' && (await of('ed'))?.state === 'queued', 20_000);
    for (const userId of ['di', 'ed']) {
      // Held for 08:00 where it is 02:00: about six hours.
      expect((await of(userId))!.notBefore!.getTime()).toBeGreaterThan(Date.now() + 4 * 3_600_000);
    }
    const mailTo = (userId: string) => sink.to(`${userId}@example.com`);
    expect(mailTo('di')).toHaveLength(0);

    // Di moves to where it is the afternoon: the message goes out now, not at the old zone's morning.
    const users = app.get(UsersService);
    const consent = { email: true, push: true };
    const day = zoneAt(14);
    await users.putUser('di', { email: 'di@example.com', timeZone: day, consent } as PutUserDto);
    await until(async () => (await of('di'))?.state === 'sent', 20_000);
    expect(mailTo('di')).toHaveLength(1);
    expect(await of('di')).toMatchObject({ timeZone: day });

    // Ed moves to where it is 23:00: the message waits for 08:00 there, about nine hours, and is not sent.
    const lateEvening = zoneAt(23);
    await users.putUser('ed', { email: 'ed@example.com', timeZone: lateEvening, consent } as PutUserDto);
    const ed = (await of('ed'))!;
    expect(ed).toMatchObject({ state: 'queued', timeZone: lateEvening });
    expect(Math.abs(ed.notBefore!.getTime() - (Date.now() + 9 * 3_600_000))).toBeLessThanOrEqual(3_600_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(mailTo('ed')).toHaveLength(0);
    expect((await of('ed'))!.state).toBe('queued');
    // "Why hasn't Ed got it?" names the wait, the night and the zone it is judged in.
    const explained = await app.get(RunExplainService).explain(runId, 'ed');
    expect(explained.summary).toBe(
      `queued, held by quiet hours (21:00-08:00 in ${lateEvening}, the user's zone) until ${ed.notBefore!.toISOString()}; ` +
        `due since ${ed.quietWait!.dueAt.toISOString()}`,
    );
    expect(explained.notification).toMatchObject({ timeZone: lateEvening, quietWait: { until: ed.notBefore } });
  });
});
