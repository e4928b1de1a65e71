import { probeRedis } from './redis-probe';
import { REDIS_INSTALL_HINT, startRedisProcess } from './redis-process';

describe(startRedisProcess.name, () => {
  it('names the install command when redis-server is missing', async () => {
    await expect(startRedisProcess('redis-server-that-does-not-exist')).rejects.toThrow(REDIS_INSTALL_HINT);
    expect(REDIS_INSTALL_HINT).toContain('apt-get install -y redis-server');
  });

  it('starts a private server on a random loopback port and stops it', async () => {
    const redis = await startRedisProcess();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await probeRedis('127.0.0.1', redis.port)).toBe(true);
    await redis.stop();
    await redis.stop(); // idempotent
    expect(await probeRedis('127.0.0.1', redis.port)).toBe(false);
  });
});
