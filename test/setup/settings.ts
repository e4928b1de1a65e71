import { loadConfig, Settings } from '../../src/config';

/**
 * Settings of a test on these servers: `database` names both its MongoDB database and its Redis key
 * prefix, so tests sharing a server never see each other's data; `env` adds or overrides variables.
 */
export function testSettings(
  mongoUri: string,
  redisUrl: string,
  database: string,
  env: Record<string, string> = {},
): Settings {
  return loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: `${mongoUri}${database}`,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: database,
    ...env,
  });
}
