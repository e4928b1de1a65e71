import { INestApplicationContext, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { MetricsModule } from '../../../src/common/metrics/metrics.module';
import { MetricsRegistry } from '../../../src/common/metrics/metrics.registry';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { RedisModule } from '../../../src/common/redis/redis.module';
import { loadConfig } from '../../../src/config';
import { settingsModule } from '../../../src/config/config.module';
import { DeliveryModule } from '../../../src/modules/delivery/delivery.module';
import { DeliveryError } from '../../../src/modules/delivery/domain/delivery-error';
import { classifyApnsError } from '../../../src/modules/delivery/domain/push-failures';
import { TOKEN_REMOVAL_MIN_REFUSALS } from '../../../src/modules/delivery/domain/token-refusal-window';
import { TokenRemovalValve } from '../../../src/modules/delivery/token-removal-valve';
import { startTestRedis } from '../../setup/redis';
import { TcpRelay } from '../../setup/tcp-relay';

/** APNs's answer to a token of the other environment, as every token gets it with a wrong APNS_URL. */
function badDeviceToken(): DeliveryError {
  const failure = classifyApnsError(400, 'BadDeviceToken');
  return new DeliveryError(failure.code, 'apns', failure.message, failure.details);
}

/** A refusal the valve has counted, and whether its token may be removed. */
async function refuse(valve: TokenRemovalValve): Promise<boolean> {
  const error = badDeviceToken();
  await valve.record('apns', error);
  return valve.mayRemove(error);
}

describe('TokenRemovalValve across workers', () => {
  let redis: RedisProcess;
  const contexts: INestApplicationContext[] = [];

  /** One worker process of a fleet: its own Redis connection, the fleet's Redis and key prefix. */
  async function worker(prefix: string, redisUrl = redis.url): Promise<INestApplicationContext> {
    const settings = loadConfig({ NODE_ENV: 'test', REDIS_URL: redisUrl, REDIS_PREFIX: prefix });
    const moduleRef = await Test.createTestingModule({
      imports: [settingsModule(settings), MetricsModule, RedisModule, DeliveryModule],
    }).compile();
    const context = await moduleRef.createNestApplication({ logger: false }).init();
    contexts.push(context);
    return context;
  }

  const keptBy = async (context: INestApplicationContext) =>
    /journeycast_delivery_tokens_kept_total\{provider="apns",providerCode="BadDeviceToken"\} (\d+)/.exec(
      await context.get(MetricsRegistry).render(),
    )?.[1] ?? '0';

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await redis.stop();
  });

  it('stops removals on every worker, and on a restarted one, once the fleet has too many refusals', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error');
    const first = await worker('fleet-a');
    const second = await worker('fleet-a');

    const allowed: boolean[] = [];
    for (let i = 0; i < TOKEN_REMOVAL_MIN_REFUSALS; i++) allowed.push(await refuse(first.get(TokenRemovalValve)));
    expect(allowed.filter(Boolean)).toHaveLength(TOKEN_REMOVAL_MIN_REFUSALS - 1);

    // The other worker has had no refusal of its own: the fleet's count closes it all the same.
    expect(await refuse(second.get(TokenRemovalValve))).toBe(false);
    expect(await refuse(second.get(TokenRemovalValve))).toBe(false);
    expect(await keptBy(second)).toBe('2');

    // A worker started after the closing starts closed.
    await first.close();
    contexts.splice(contexts.indexOf(first), 1);
    const restarted = await worker('fleet-a');
    expect(await refuse(restarted.get(TokenRemovalValve))).toBe(false);

    // The closing is logged once for the fleet.
    const stopped = errors.mock.calls.filter(([entry]) =>
      String((entry as { message?: string }).message).startsWith('push token removals stopped'),
    );
    expect(stopped).toHaveLength(1);
  });

  it("reopens on every worker once acceptances at any worker dilute the refusals; another fleet's count is apart", async () => {
    const [first, second] = [await worker('fleet-b'), await worker('fleet-b')];
    for (let i = 0; i < TOKEN_REMOVAL_MIN_REFUSALS; i++) await refuse(first.get(TokenRemovalValve));
    expect(await refuse(second.get(TokenRemovalValve))).toBe(false);

    // 11 refusals; after 45 acceptances the 12th is 12 of 57 answers, above a fifth; after 10 more, 13 of 68.
    for (let i = 0; i < 45; i++) await second.get(TokenRemovalValve).record('apns');
    expect(await refuse(first.get(TokenRemovalValve))).toBe(false);
    for (let i = 0; i < 10; i++) await second.get(TokenRemovalValve).record('apns');
    expect(await refuse(first.get(TokenRemovalValve))).toBe(true);

    const other = await worker('fleet-c');
    expect(await refuse(other.get(TokenRemovalValve))).toBe(true);
  });

  it('counts the refusals of the last 15 minutes only', async () => {
    const client = new Redis(redis.url);
    try {
      // Refusals some worker counted 10, 16 or 40 minutes ago, in the buckets the valve keeps.
      const [seconds] = await client.time();
      const bucket = (minutesAgo: number) => Number(seconds) - minutesAgo * 60;
      const seed = (prefix: string, minutesAgo: number) =>
        client.hset(`${prefix}:{token-refusals}:apns`, {
          answers: 20,
          refusals: 20,
          oldest: bucket(minutesAgo),
          closed: '1',
          [`a${bucket(minutesAgo)}`]: 20,
          [`r${bucket(minutesAgo)}`]: 20,
        });
      await seed('fleet-e', 10);
      await seed('fleet-f', 16);
      await seed('fleet-g', 40);
      expect(await refuse((await worker('fleet-e')).get(TokenRemovalValve))).toBe(false);
      expect(await refuse((await worker('fleet-f')).get(TokenRemovalValve))).toBe(true);
      expect(await refuse((await worker('fleet-g')).get(TokenRemovalValve))).toBe(true);
      expect(await client.hget('fleet-g:{token-refusals}:apns', `a${bucket(40)}`)).toBeNull();
    } finally {
      await client.quit();
    }
  });

  it('keeps the token when Redis does not answer', async () => {
    const relay = await TcpRelay.start({ host: '127.0.0.1', port: Number(new URL(redis.url).port) });
    try {
      const cut = await worker('fleet-d', `redis://127.0.0.1:${relay.port}`);
      expect(await refuse(cut.get(TokenRemovalValve))).toBe(true);
      relay.freeze();
      expect(await refuse(cut.get(TokenRemovalValve))).toBe(false);
      expect(await keptBy(cut)).toBe('1');
      // An unambiguous refusal (APNs 410) still removes its token.
      const failure = classifyApnsError(410, 'Unregistered');
      const gone = new DeliveryError(failure.code, 'apns', failure.message, failure.details);
      await cut.get(TokenRemovalValve).record('apns', gone);
      expect(cut.get(TokenRemovalValve).mayRemove(gone)).toBe(true);
      relay.thaw();
      await cut.close();
      contexts.splice(contexts.indexOf(cut), 1);
    } finally {
      await relay.stop();
    }
  });
});
