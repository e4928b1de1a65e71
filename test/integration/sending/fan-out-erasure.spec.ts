import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../../src/common/redis/redis.module';
import { CampaignRunLedgerRepository } from '../../../src/modules/campaigns/runs/campaign-run-ledger.repository';
import { CampaignRunsService } from '../../../src/modules/campaigns/runs/campaign-runs.service';
import { ErasedDuringFanOut } from '../../../src/modules/campaigns/runs/fan-out-erasures';
import { notificationIdOf } from '../../../src/modules/delivery/domain/notification-id';
import { NotificationErasure } from '../../../src/modules/delivery/notification-erasure';
import { UserRepository } from '../../../src/modules/ingest/user.repository';
import type { Notification } from '../../../src/modules/delivery/domain/notification';
import { NotificationRepository } from '../../../src/modules/delivery/notification.repository';
import { PutUserDto } from '../../../src/modules/ingest/dto/put-user.dto';
import { UsersService } from '../../../src/modules/ingest/users.service';
import { seedUser } from '../campaigns/campaigns-harness';
import { db, DIGEST_CAMPAIGN, KITCHEN_JOURNEY, startDigestSending, waitForRun } from './sending-harness';

const KEPT = ['ana', 'ben'];
const GARDEN = { name: 'Garden Design', keywords: ['garden design', 'raised beds'] };
const MARATHON = { name: 'Marathon Training', keywords: ['marathon training', 'tempo run'] };
const SOURDOUGH = { name: 'Sourdough Baking', keywords: ['sourdough starter', 'bread baking'] };
const ESPRESSO = { name: 'Home Espresso', keywords: ['espresso machine', 'coffee grinder'] };
const TRAIL = { name: 'Trail Running', keywords: ['trail running', 'trail shoes'] };
/**
 * The digest with a cap far from full, so every run of these tests holds and confirms a slot per queued
 * message, and an experiment, so every recipient is assigned.
 */
const CAPPED = {
  ...DIGEST_CAMPAIGN,
  frequencyCaps: [{ max: 20, withinHours: 24, scope: 'campaign' }],
  experiment: {
    variants: [
      { id: 'a', weight: 1, copy: 'journey-template' },
      { id: 'b', weight: 1, copy: 'journey-template' },
    ],
    metrics: { primary: 'click-rate' },
  },
};

describe('erasing a user while a run fans out', () => {
  let sending: Awaited<ReturnType<typeof startDigestSending>>;
  const app = () => sending.app;

  beforeAll(async () => {
    sending = await startDigestSending('fan_out_erasure', KEPT, {}, CAPPED);
    // The erased ones on a journey of their own, so no other recipient's message shares their render.
    for (const [userId, journey] of [
      ['erased', GARDEN],
      ['withdrawn', KITCHEN_JOURNEY],
      ['late', MARATHON],
      ['crashed', SOURDOUGH],
      ['retried', ESPRESSO],
      ['stranded', TRAIL],
    ] as const) {
      await seedUser(app(), userId, {
        now: new Date(),
        profile: { email: `${userId}@example.com` },
        journeys: [journey],
      });
    }
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await sending?.stop();
  });

  /** Runs `beforeInsert` between the fan-out's read of its users and its notification insert; the renders it inserts. */
  function betweenReadAndInsert(beforeInsert: () => Promise<unknown>): Map<string, string> {
    const notifications = app().get(NotificationRepository);
    const insertNew = notifications.insertNew.bind(notifications);
    const renders = new Map<string, string>();
    jest.spyOn(notifications, 'insertNew').mockImplementationOnce(async (created: readonly Notification[]) => {
      for (const n of created) if (n.message?.renderId) renders.set(n.userId, n.message.renderId);
      await beforeInsert();
      return insertNew(created);
    });
    return renders;
  }

  /** Starts a manual run of the digest and waits for it to end; the messages the sink got meanwhile. */
  async function run(): Promise<{ runId: string; to: (userId: string) => number }> {
    const before = sending.sink.messages.length;
    const { runId } = await app().get(CampaignRunsService).startManual(DIGEST_CAMPAIGN.id, 'test');
    expect((await waitForRun(app(), runId)).state).toBe('completed');
    const received = sending.sink.messages.slice(before);
    return { runId, to: (userId) => received.filter((m) => m.to.includes(`${userId}@example.com`)).length };
  }

  /**
   * How many records of the user each place the erasure clears holds; of the run's message, when given: its
   * render (unless another message uses it) and its frequency-cap slots and holds.
   */
  async function left(userId: string, message?: { runId: string; renderId?: string }) {
    const count = (name: string, filter: object) => db(app()).collection(name).countDocuments(filter);
    return {
      users: await count('users', { userId }),
      notifications: await count('notifications', { userId }),
      ledger: await count('campaign_run_ledger', { userId }),
      assignments: await count('experiment_assignments', { userId }),
      shards: await count('campaign_run_shards', { userIds: userId }),
      renders: message?.renderId ? await count('message_renders', { renderId: message.renderId }) : 0,
      caps: message ? await capsHolding(userId, notificationIdOf(message.runId, userId)) : 0,
    };
  }

  /** The user's frequency-cap sets and holds that count `notificationId`. */
  async function capsHolding(userId: string, notificationId: string): Promise<number> {
    const redis = app().get<Redis>(REDIS_CLIENT);
    let n = 0;
    for (const key of await redis.keys(`*caps:{${userId}}*`)) {
      const held = key.includes(':held:')
        ? await redis.hexists(key, notificationId)
        : (await redis.zscore(key, notificationId)) !== null;
      if (held) n += 1;
    }
    return n;
  }
  const NOTHING = { users: 0, notifications: 0, ledger: 0, assignments: 0, shards: 0, renders: 0, caps: 0 };

  it('takes back what the fan-out writes for a user erased after it read them, and sends the others once', async () => {
    const renders = betweenReadAndInsert(() => app().get(UsersService).eraseUser('erased'));

    const { runId, to } = await run();

    expect(renders.get('erased')).toEqual(expect.any(String));
    expect(await left('erased', { runId, renderId: renders.get('erased') })).toEqual(NOTHING);
    expect(to('erased')).toBe(0);
    for (const userId of [...KEPT, 'crashed']) expect(to(userId)).toBe(1);
    const states = await db(app()).collection<Notification>('notifications').find({ runId }).toArray();
    expect(states.filter((n) => n.userId === 'erased')).toEqual([]);
    expect(states.filter((n) => n.state !== 'sent')).toEqual([]);
    // The run's counters are grouped again from its records, which no longer know the user.
    const view = await app().get(CampaignRunsService).get(runId);
    expect(view.counts).toMatchObject({ sent: states.length });
  });

  it('keeps the record of a user who only withdrew consent after the fan-out read them, and sends them nothing', async () => {
    const renders = betweenReadAndInsert(() =>
      app()
        .get(UsersService)
        .putUser('withdrawn', { email: 'withdrawn@example.com', consent: { email: false, push: false } } as PutUserDto),
    );

    const { runId, to } = await run();

    expect(to('withdrawn')).toBe(0);
    for (const userId of [...KEPT, 'late']) expect(to(userId)).toBe(1);
    const record = await db(app()).collection<Notification>('notifications').findOne({ runId, userId: 'withdrawn' });
    expect(record).toMatchObject({ state: 'suppressed', reason: { code: expect.any(String) } });
    const still = await left('withdrawn', { runId, renderId: renders.get('withdrawn') });
    expect(still).toMatchObject({ users: 1, notifications: 2, shards: 2, renders: 1 });
  });

  it('removes everything of a user erased after the fan-out wrote for them, as ever', async () => {
    const renders = betweenReadAndInsert(async () => undefined);
    const { runId, to } = await run();
    expect(to('late')).toBe(1);
    expect(await left('late', { runId, renderId: renders.get('late') })).toMatchObject({ notifications: 3, caps: 2 });

    await app().get(UsersService).eraseUser('late');

    // Its frequency-cap slots go too: they name the user and their message, and are kept for the longest window.
    expect(await left('late', { runId, renderId: renders.get('late') })).toEqual(NOTHING);
    expect(await app().get<Redis>(REDIS_CLIENT).keys(`*caps:{late}*`)).toEqual([]);
  });

  it('takes back, when the shard is processed again, what an attempt that failed before its check wrote', async () => {
    // The erasure has marked the profile and removed the notifications, and is still running when the chunk writes.
    const renders = betweenReadAndInsert(async () => {
      await app().get(UserRepository).markErasing('crashed', new Date());
      await app().get(NotificationErasure).erase({ userId: 'crashed' });
    });
    const check = jest.spyOn(app().get(ErasedDuringFanOut), 'afterChunk').mockRejectedValueOnce(new Error('lost'));

    const { runId, to } = await run();

    expect(check).toHaveBeenCalledTimes(2);
    expect(to('crashed')).toBe(0);
    const message = { runId, renderId: renders.get('crashed') };
    expect(await left('crashed', message)).toMatchObject({ notifications: 0, renders: 0, caps: 0 });
    await app().get(UsersService).eraseUser('crashed');
    expect(await left('crashed', message)).toEqual(NOTHING);
  });

  it('takes back at its delivery what an attempt that failed before its check wrote for a user whose erasure ended meanwhile', async () => {
    // The erasure runs whole between the chunk's read and its writes: the shard processed again no longer lists
    // the user, so its check never asks about them.
    const renders = betweenReadAndInsert(() => app().get(UsersService).eraseUser('stranded'));
    const check = jest.spyOn(app().get(ErasedDuringFanOut), 'afterChunk').mockRejectedValueOnce(new Error('lost'));

    const { runId, to } = await run();

    expect(check).toHaveBeenCalledTimes(2);
    expect(to('stranded')).toBe(0);
    expect(renders.get('stranded')).toEqual(expect.any(String));
    expect(await left('stranded', { runId, renderId: renders.get('stranded') })).toEqual(NOTHING);
    expect(await app().get<Redis>(REDIS_CLIENT).keys(`*caps:{stranded}*`)).toEqual([]);
    const view = await app().get(CampaignRunsService).get(runId);
    const states = await db(app()).collection<Notification>('notifications').find({ runId }).toArray();
    expect(view.counts).toMatchObject({ sent: states.length });
  });

  it('keeps the profile of a user whose erasure failed marked, sending nothing and keeping nothing, until a retry ends it', async () => {
    jest.spyOn(app().get(CampaignRunLedgerRepository), 'deleteByUserId').mockRejectedValueOnce(new Error('lost'));
    await expect(app().get(UsersService).eraseUser('retried')).rejects.toThrow('lost');
    // An update of the profile meanwhile neither ends the erasure nor makes the user reachable again.
    await app()
      .get(UsersService)
      .putUser('retried', { email: 'retried@example.com', consent: { email: true, push: true } } as PutUserDto);

    const { runId, to } = await run();

    expect(to('retried')).toBe(0);
    expect(await left('retried', { runId })).toMatchObject({ users: 1, notifications: 0, caps: 0 });
    expect(await app().get(UsersService).getUser('retried')).not.toHaveProperty('erasingSince');
    await app().get(UsersService).eraseUser('retried');
    expect(await left('retried', { runId })).toEqual(NOTHING);
  });
});
