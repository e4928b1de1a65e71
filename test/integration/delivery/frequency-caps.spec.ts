import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { loadConfig, Settings } from '../../../src/config';
import type { FrequencyCap } from '../../../src/modules/delivery/domain/frequency-cap';
import { CapSubject, FrequencyCaps } from '../../../src/modules/delivery/frequency-caps';
import { startTestRedis } from '../../setup/redis';

const HOUR = 3_600_000;
// Sends are remembered for 90 days from the server's clock: the tests' instants are around now.
const T0 = Math.floor(Date.now() / HOUR) * HOUR;
const at = (hours: number) => new Date(T0 + hours * HOUR);

describe(FrequencyCaps.name, () => {
  let redis: RedisProcess;
  const clients: Redis[] = [];

  /** One FrequencyCaps per simulated worker process, each with its own Redis connection, on a fresh prefix. */
  function workers(count: number): FrequencyCaps[] {
    const settings = loadConfig({ NODE_ENV: 'test', REDIS_URL: redis.url, REDIS_PREFIX: `t${Math.random()}` });
    const config = new ConfigService<Settings, true>(settings);
    return Array.from({ length: count }, () => {
      const client = new Redis(redis.url);
      clients.push(client);
      return new FrequencyCaps(client, config);
    });
  }

  const ann = (campaignId = 'weekly'): CapSubject => ({ userId: 'ann', channel: 'email', campaignId });
  const perDay = (max: number, scope: FrequencyCap['scope'] = 'channel'): FrequencyCap => ({
    max,
    withinHours: 24,
    scope,
  });

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    await redis.stop();
  });

  it('grants exactly the cap to concurrent reservations from four workers, and a re-reservation takes nothing', async () => {
    const caps = workers(4);
    const verdicts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => caps[i % 4].reserve(ann(), [perDay(2)], at(0), `n${i}`)),
    );
    const granted = verdicts.flatMap((v, i) => (v.granted ? [`n${i}`] : []));
    expect(granted).toHaveLength(2);
    expect(await caps[0].reserve(ann(), [perDay(2)], at(1), granted[0])).toEqual({ granted: true });
    expect((await caps[1].reserve(ann(), [perDay(2)], at(1), 'late')).granted).toBe(false);
  });

  it('counts a send one millisecond inside the window, and not one a whole window away', async () => {
    const [caps] = workers(1);
    await caps.reserve(ann(), [perDay(1)], at(0), 'first');
    expect((await caps.reserve(ann(), [perDay(1)], new Date(T0 + 24 * HOUR - 1), 'inside')).granted).toBe(false);
    expect((await caps.reserve(ann(), [perDay(1)], at(24), 'next-day')).granted).toBe(true);
    expect((await caps.reserve(ann(), [perDay(1)], at(-24), 'day-before')).granted).toBe(true);
  });

  it('gives a released slot back', async () => {
    const [caps] = workers(1);
    await caps.reserve(ann(), [perDay(1)], at(0), 'suppressed-later');
    await caps.release(ann(), 'suppressed-later');
    expect(await caps.reserve(ann(), [perDay(1)], at(1), 'next')).toEqual({ granted: true });
  });

  it('holds each of several caps, on the channel and on the campaign', async () => {
    const [caps] = workers(1);
    const rules = [perDay(1, 'campaign'), { max: 3, withinHours: 7 * 24, scope: 'channel' as const }];
    expect((await caps.reserve(ann('daily'), rules, at(0), 'd0')).granted).toBe(true);
    expect(await caps.reserve(ann('daily'), rules, at(10), 'd0b')).toMatchObject({ granted: false, index: 0 });
    // Another campaign is not held by this campaign's cap, but counts on the channel.
    expect((await caps.reserve(ann('other'), rules, at(10), 'o10')).granted).toBe(true);
    expect((await caps.reserve(ann('daily'), rules, at(24), 'd24')).granted).toBe(true);
    expect(await caps.reserve(ann('daily'), rules, at(48), 'd48')).toMatchObject({
      granted: false,
      index: 1,
      count: 3,
    });
    expect((await caps.reserve(ann('daily'), rules, at(7 * 24), 'd168')).granted).toBe(true);
  });

  it('grants a send between an earlier and a promised later one when no window of the cap holds more than its max', async () => {
    const [caps] = workers(1);
    // Two a day: one sent ten hours ago, one promised for tomorrow's local send time, twenty hours ahead.
    await caps.reserve(ann('digest'), [perDay(2)], at(-10), 'earlier');
    await caps.reserve(ann('local-hour'), [perDay(2)], at(20), 'promised');
    // Any 24 hours holding now hold only one of the two: sending now keeps every window at two.
    expect(await caps.reserve(ann('weekly'), [perDay(2)], at(0), 'now')).toEqual({ granted: true });
    // Now every window around 5 hours from now that reaches back to -10 or on to 20 would hold three.
    expect(await caps.reserve(ann('weekly'), [perDay(2)], at(5), 'then')).toMatchObject({ granted: false, count: 2 });
  });

  it('moves a late send to its real time, where a cap full there refuses it and leaves its slot to be released', async () => {
    const [caps] = workers(1);
    // Planned 30 hours ago, still unsent; another campaign sent 2 hours ago, 28 hours after that plan.
    await caps.reserve(ann('weekly'), [perDay(1)], at(-30), 'late');
    await caps.reserve(ann('promo'), [perDay(1)], at(-2), 'promo');
    expect(await caps.retake(ann('weekly'), [perDay(1)], at(0), 'late')).toMatchObject({
      granted: false,
      index: 0,
      count: 1,
    });
    // Refused, it keeps its slot where it was, until whoever settles the message unsent releases it.
    expect(await caps.reserve(ann('other'), [perDay(1)], at(-40), 'earlier')).toMatchObject({ granted: false });
    await caps.release(ann('weekly'), 'late');
    expect(await caps.reserve(ann('other'), [perDay(1)], at(-40), 'earlier')).toEqual({ granted: true });
    // A send a day after the promo is granted, as it would be without the late one.
    expect(await caps.reserve(ann('other'), [perDay(1)], at(22), 'tomorrow')).toEqual({ granted: true });
  });

  it("keeps the slot of a late send that one delivery job took when a duplicate job's retake is refused", async () => {
    const [first, duplicate] = workers(2);
    await first.reserve(ann('weekly'), [perDay(1)], at(-30), 'late');
    // The first job moves the late send to now, and another campaign promises a send just over a day later.
    expect(await first.retake(ann('weekly'), [perDay(1)], at(0), 'late')).toEqual({ granted: true });
    expect(await first.reserve(ann('promo'), [perDay(1)], at(24.1), 'promised')).toEqual({ granted: true });
    // A duplicate job of the same message checks a few minutes later, when the day ahead reaches the promise.
    expect(await duplicate.retake(ann('weekly'), [perDay(1)], at(0.2), 'late')).toMatchObject({ granted: false });
    // The first job sends the message: its slot at now still counts, so no other send within a day of it is
    // granted (one planned an hour ago, which the promise a day ahead does not reach).
    expect(await first.reserve(ann('other'), [perDay(1)], at(-1), 'other')).toMatchObject({ granted: false });
  });

  it('moves a late send that fits to its real time, so the next send counts from then', async () => {
    const [caps] = workers(1);
    await caps.reserve(ann('weekly'), [perDay(1)], at(-30), 'late');
    expect(await caps.retake(ann('weekly'), [perDay(1)], at(0), 'late')).toEqual({ granted: true });
    // At its planned time it would not hold a send one hour from now; at its real time it does.
    expect((await caps.reserve(ann('promo'), [perDay(1)], at(1), 'promo')).granted).toBe(false);
    expect((await caps.reserve(ann('promo'), [perDay(1)], at(-25), 'before')).granted).toBe(true);
  });

  it('takes a slot anew for a late send whose slot is gone', async () => {
    const [caps] = workers(1);
    expect(await caps.retake(ann('weekly'), [perDay(1)], at(0), 'lost')).toEqual({ granted: true });
    expect((await caps.reserve(ann('promo'), [perDay(1)], at(1), 'promo')).granted).toBe(false);
  });

  describe('holds (a slot whose notification is not written yet)', () => {
    const LONG = 60_000;

    it('grants exactly the cap to concurrent holds and reservations from four workers', async () => {
      const caps = workers(4);
      const verdicts = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 2 === 0
            ? caps[i % 4].hold(ann(`c${i % 3}`), [perDay(2)], at(0), `n${i}`, LONG)
            : caps[i % 4].reserve(ann(`c${i % 3}`), [perDay(2)], at(0), `n${i}`),
        ),
      );
      expect(verdicts.filter((v) => v.granted)).toHaveLength(2);
    });

    it('counts a live hold on the channel and on its own campaign only', async () => {
      const [caps] = workers(1);
      await caps.hold(ann('weekly'), [perDay(1, 'campaign')], at(0), 'held', LONG);
      expect(await caps.reserve(ann('weekly'), [perDay(1, 'campaign')], at(1), 'w')).toMatchObject({ granted: false });
      expect(await caps.reserve(ann('promo'), [perDay(1, 'campaign')], at(1), 'p')).toEqual({ granted: true });
      expect(await caps.reserve(ann('other'), [perDay(2)], at(1), 'o')).toMatchObject({ granted: false, count: 2 });
    });

    it('lets a hold nobody confirms lapse, so a worker that died before writing its notification keeps nothing', async () => {
      const [caps] = workers(1);
      await caps.hold(ann('weekly'), [perDay(1)], at(0), 'orphan', 50);
      expect((await caps.reserve(ann('promo'), [perDay(1)], at(1), 'early')).granted).toBe(false);
      await new Promise((r) => setTimeout(r, 80));
      expect(await caps.reserve(ann('promo'), [perDay(1)], at(1), 'promo')).toEqual({ granted: true });
    });

    it('makes a confirmed hold a slot that lapses no more and that giving back holds leaves', async () => {
      const [caps] = workers(1);
      await caps.hold(ann('weekly'), [perDay(1)], at(0), 'written', 50);
      const slot = { subject: ann('weekly'), notificationId: 'written', at: at(0) };
      expect(await caps.confirmMany([slot], [perDay(1)])).toEqual(new Map());
      await caps.releaseHolds([slot]);
      await new Promise((r) => setTimeout(r, 80));
      expect(await caps.reserve(ann('promo'), [perDay(1)], at(1), 'promo')).toMatchObject({ granted: false });
    });

    it('gives a hold back at once, and checks again a confirmation whose hold is gone', async () => {
      const [caps] = workers(1);
      await caps.hold(ann('weekly'), [perDay(1)], at(0), 'gone', LONG);
      await caps.releaseHolds([{ subject: ann('weekly'), notificationId: 'gone' }]);
      expect(await caps.reserve(ann('promo'), [perDay(1)], at(1), 'promo')).toEqual({ granted: true });
      const refusals = await caps.confirmMany(
        [{ subject: ann('weekly'), notificationId: 'gone', at: at(0) }],
        [perDay(1)],
      );
      expect(refusals.get('gone')).toMatchObject({ granted: false, count: 1 });
    });
  });
});
