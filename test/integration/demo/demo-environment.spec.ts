import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { RedisProcess } from '../../../src/common/redis/redis-process';
import { loadConfig } from '../../../src/config';
import {
  DemoEnvironment,
  forgetDemoRedisKeys,
  startDemoEnvironment,
} from '../../../src/demo/infrastructure/demo-environment';
import { startTestRedis } from '../../setup/redis';

describe('the demo environment', () => {
  let redis: RedisProcess;
  let client: Redis;
  let dataDir: string;
  const environments: DemoEnvironment[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    client = new Redis(redis.url);
    dataDir = mkdtempSync(join(tmpdir(), 'demo-environment-'));
  });

  afterAll(async () => {
    await Promise.all(environments.map((environment) => environment.stop()));
    client.disconnect();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(env: NodeJS.ProcessEnv): Promise<DemoEnvironment> {
    const environment = await startDemoEnvironment(dataDir, env);
    environments.push(environment);
    return environment;
  }

  it("keeps the demo's queues and frequency-cap slots apart from an app on the same Redis, and from another demo's", async () => {
    const appPrefix = loadConfig({}).redis.prefix;
    const first = loadConfig({ ...(await start({})).settings }).redis.prefix;
    const second = loadConfig({ REDIS_PREFIX: appPrefix, ...(await start({ REDIS_PREFIX: appPrefix })).settings }).redis
      .prefix;
    expect(first).not.toBe(appPrefix);
    expect(second).not.toBe(appPrefix);
    expect(second).not.toBe(first);
  });

  it("takes the demo's keys out of the Redis it used, and nothing else", async () => {
    const { settings } = await start({});
    const prefix = settings.REDIS_PREFIX;
    await client.zadd(`${prefix}:caps:{user-000136}:channel:push`, 1, 'n1');
    await client.set(`${prefix}:bull:deliveries:id`, '3');
    await client.set('jc:caps:{user-000136}:channel:push', 'app');
    await client.set(`${prefix}x:bull:deliveries:id`, 'other');

    await forgetDemoRedisKeys(redis.url, prefix);

    expect((await client.keys('*')).sort()).toEqual([
      `${prefix}x:bull:deliveries:id`,
      'jc:caps:{user-000136}:channel:push',
    ]);
  });
});
