import { RedisProcess, startRedisProcess } from '../../src/common/redis/redis-process';

/** A real redis-server per test file: isolated, in-memory, on a random port. */
export function startTestRedis(): Promise<RedisProcess> {
  return startRedisProcess();
}
