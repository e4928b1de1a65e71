import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { loadConfig, Settings } from '../../../src/config';
import { channelSelection } from '../../../src/modules/delivery/channels/channel-factory';
import { emailMessage, pushMessage } from '../../../src/modules/delivery/domain/testing/messages.fixture';
import { SendRateLimiter } from '../../../src/modules/delivery/send-rate-limiter';
import { startTestRedis } from '../../setup/redis';

describe(SendRateLimiter.name, () => {
  let redis: RedisProcess;
  const clients: Redis[] = [];

  /** One limiter per simulated worker process, each with its own Redis connection. */
  function workers(count: number, env: Record<string, string> = {}): SendRateLimiter[] {
    const settings = loadConfig({ NODE_ENV: 'test', REDIS_URL: redis.url, REDIS_PREFIX: `t${Math.random()}`, ...env });
    const config = new ConfigService<Settings, true>(settings);
    return Array.from({ length: count }, () => {
      const client = new Redis(redis.url);
      clients.push(client);
      return new SendRateLimiter(client, channelSelection(settings.delivery), config);
    });
  }

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.quit()));
    await redis.stop();
  });

  it('grants exactly the burst to 200 concurrent callers across 4 workers', async () => {
    const limiters = workers(4);
    const bucket = [{ key: 'provider:smtp', ratePerSecond: 0.001, burst: 25 }];
    const slots = await Promise.all(Array.from({ length: 200 }, (_, i) => limiters[i % 4].take(bucket)));
    expect(slots.filter((s) => s.granted)).toHaveLength(25);
    const denied = slots.filter((s) => !s.granted);
    expect(denied.every((s) => s.waitMs > 0 && s.waitMs <= 1_000_000)).toBe(true);
  });

  it('says how long to wait, and grants once that time has passed', async () => {
    const [limiter] = workers(1);
    const bucket = [{ key: 'provider:fcm', ratePerSecond: 2, burst: 1 }];
    expect(await limiter.take(bucket)).toEqual({ granted: true, waitMs: 0 });
    const denied = await limiter.take(bucket);
    expect(denied.granted).toBe(false);
    expect(denied.waitMs).toBeGreaterThan(0);
    expect(denied.waitMs).toBeLessThanOrEqual(500);
    await new Promise((resolve) => setTimeout(resolve, denied.waitMs + 20));
    expect((await limiter.take(bucket)).granted).toBe(true);
  });

  it('takes from the provider and the campaign together, or from neither', async () => {
    const [limiter] = workers(1);
    const provider = { key: 'provider:apns', ratePerSecond: 0.001, burst: 2 };
    const campaign = (id: string) => ({ key: `campaign:${id}`, ratePerSecond: 0.001, burst: 1 });
    expect((await limiter.take([provider, campaign('a')])).granted).toBe(true);
    expect((await limiter.take([provider, campaign('a')])).granted).toBe(false); // campaign a is empty
    expect((await limiter.take([provider, campaign('b')])).granted).toBe(true); // the provider slot was not spent
    expect((await limiter.take([provider, campaign('c')])).granted).toBe(false); // now the provider is empty
  });

  it('limits a message by its provider and campaign from the settings; the outbox is unlimited', async () => {
    const [limiter] = workers(1, { SMTP_URL: 'smtp://127.0.0.1:2525', DELIVERY_RATE_SMTP: '0.001' });
    expect((await limiter.tryAcquire(emailMessage())).granted).toBe(true);
    expect((await limiter.tryAcquire(emailMessage({ campaignId: 'other' }))).granted).toBe(false);
    for (let i = 0; i < 50; i += 1) expect((await limiter.tryAcquire(pushMessage())).granted).toBe(true);
    expect((await limiter.tryAcquire(pushMessage(), 0.001)).granted).toBe(true);
    expect((await limiter.tryAcquire(pushMessage(), 0.001)).granted).toBe(false); // the campaign's own rate
  });
});
