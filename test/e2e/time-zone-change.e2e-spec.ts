import { getQueueToken } from '@nestjs/bull';
import { Job, Queue } from 'bull';
import { DELIVERY_QUEUE } from '../../src/modules/delivery/jobs/delivery.queue';
import { zoneAt } from '../setup/zones';
import { TestApp, TestServers, createTestApp, startTestServers } from './support/test-app';

const HOUR = 3_600_000;

/**
 * `PUT /v1/users/:id` with another time zone, served by an API process alone (no worker): the user's message
 * held for the morning of the zone they left is judged again in the new one, and one due sooner gets a
 * delivery job a worker will pick up.
 */
describe('a profile whose time zone changes while a message waits for the morning', () => {
  let servers: TestServers;
  let t: TestApp;
  let ingest: string;

  beforeAll(async () => {
    servers = await startTestServers();
    t = await createTestApp(servers, { database: 'time_zone_change', env: { APP_ROLE: 'api' } });
    ingest = await t.createKey('ingest');
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await servers?.stop();
  }, 30_000);

  const putUser = (userId: string, timeZone: string) =>
    t
      .http()
      .put(`/v1/users/${userId}`)
      .set('Authorization', `Bearer ${ingest}`)
      .send({ email: `${userId}@example.com`, timeZone, consent: { email: true } });

  /** A queued notification of `userId` held by quiet hours (21:00 to 08:00) until `until`, as the fan-out leaves it. */
  async function heldUntil(userId: string, timeZone: string, until: Date): Promise<string> {
    const notificationId = `n-${userId}`;
    const now = new Date();
    await t
      .db()
      .collection('notifications')
      .insertOne({
        notificationId,
        runId: 'run-1',
        campaignId: 'digest',
        userId,
        category: 'weekly-digest',
        channel: 'email',
        state: 'queued',
        notBefore: until,
        capSlotAt: until,
        quietHours: { start: '21:00', end: '08:00', whenQuiet: 'delay' },
        quietWait: { dueAt: now, until },
        timeZone,
        targets: [{ to: { channel: 'email', address: `${userId}@example.com` }, state: 'pending' }],
        attempts: [],
        createdAt: now,
      });
    return notificationId;
  }

  /** A new user where it is 02:00, with a message held six hours for their morning. */
  async function heldAtNight(userId: string): Promise<{ id: string; night: string; until: Date }> {
    const night = zoneAt(2);
    await putUser(userId, night).expect(201);
    const until = new Date(Date.now() + 6 * HOUR);
    return { id: await heldUntil(userId, night, until), night, until };
  }

  const notification = (notificationId: string) => t.db().collection('notifications').findOne({ notificationId });
  const jobsOf = async (notificationId: string) => {
    const jobs: Job[] = await t.app.get<Queue>(getQueueToken(DELIVERY_QUEUE)).getJobs(['waiting', 'delayed']);
    return jobs.filter((job) => (job.data as { notificationId?: string }).notificationId === notificationId);
  };

  it('moves the message to now for a user who moved to where it is day, with a job to send it', async () => {
    const { id } = await heldAtNight('ana');
    const day = zoneAt(14);

    await putUser('ana', day).expect(200);
    const moved = await notification(id);
    expect(moved).toMatchObject({ state: 'queued', timeZone: day });
    expect(Math.abs(moved!.notBefore.getTime() - Date.now())).toBeLessThan(60_000);
    const jobs = await jobsOf(id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].opts.delay ?? 0).toBeLessThan(60_000);
  });

  it('moves it to the end of the night where the user is now, with no new job when that is later', async () => {
    const { id } = await heldAtNight('ben');
    const lateEvening = zoneAt(23);

    await putUser('ben', lateEvening).expect(200);
    const moved = await notification(id);
    expect(moved).toMatchObject({ state: 'queued', timeZone: lateEvening });
    // 08:00 where it is 23:00: about nine hours away.
    expect(Math.abs(moved!.notBefore.getTime() - (Date.now() + 9 * HOUR))).toBeLessThanOrEqual(HOUR);
    expect(moved!.quietWait.until).toEqual(moved!.notBefore);
    expect(await jobsOf(id)).toHaveLength(0);
  });

  it('leaves alone a message waiting out a retry, and the same zone sent again', async () => {
    const { id, night, until } = await heldAtNight('cy');
    await putUser('cy', night).expect(200);
    expect((await notification(id))!.notBefore).toEqual(until);
    // A retry's backoff moved its send time since quiet hours held it: that wait is not quiet hours'.
    const retryAt = new Date(Date.now() + 2 * HOUR);
    await t
      .db()
      .collection('notifications')
      .updateOne({ notificationId: id }, { $set: { notBefore: retryAt } });
    await putUser('cy', zoneAt(14)).expect(200);
    expect(await notification(id)).toMatchObject({ notBefore: retryAt, timeZone: night });
    expect(await jobsOf(id)).toHaveLength(0);
  });
});
