import { Logger } from '@nestjs/common';
import { ConfigError } from '../../config/parsers';
import { Settings } from '../../config/settings';
import { EmbeddedMongo } from '../../embedded-mongo';
import { probeRedis } from '../redis/redis-probe';
import { startRedisProcess } from '../redis/redis-process';

/** Settings with MONGODB_URI (and REDIS_URL when asked for) resolved, and a way to stop what was started. */
export interface ProvisionedServers {
  settings: Settings;
  stop(): Promise<void>;
}

type Stops = Array<() => Promise<void>>;

const DEFAULT_REDIS = { host: '127.0.0.1', port: 6379 };

async function provisionMongo(mongo: Settings['mongo'], stops: Stops, logger: Logger): Promise<string> {
  if (mongo.uri) return mongo.uri;
  try {
    const db = await EmbeddedMongo.start({ dir: mongo.dataDir, port: mongo.embeddedPort });
    stops.push(() => db.stop());
    logger.log(`MONGODB_URI unset: embedded MongoDB-compatible server at ${db.uri} (data in ${mongo.dataDir})`);
    return db.uri;
  } catch (error) {
    // The data directory belongs to a running app: talk to its embedded server instead.
    if (!/in use by process/.test((error as Error).message) || mongo.embeddedPort === 0) throw error;
    const uri = `mongodb://127.0.0.1:${mongo.embeddedPort}/`;
    logger.log(`${mongo.dataDir} is served by a running Journeycast: using ${uri}`);
    return uri;
  }
}

async function provisionRedis(redis: Settings['redis'], stops: Stops, logger: Logger): Promise<string> {
  if (redis.url) return redis.url;
  if (await probeRedis(DEFAULT_REDIS.host, DEFAULT_REDIS.port)) {
    const url = `redis://${DEFAULT_REDIS.host}:${DEFAULT_REDIS.port}`;
    logger.log(`REDIS_URL unset: using the Redis answering on ${url}`);
    return url;
  }
  if (!redis.autostart) {
    throw new ConfigError('REDIS_URL is not set and nothing answers on 127.0.0.1:6379 (REDIS_AUTOSTART=false)');
  }
  const child = await startRedisProcess();
  stops.push(() => child.stop());
  logger.log(`REDIS_URL unset: started a private redis-server at ${child.url}`);
  return child.url;
}

/**
 * Zero set-up for development: without MONGODB_URI the embedded server is started on
 * `mongo.dataDir`; without REDIS_URL a local Redis on 6379 is used, or a private redis-server child.
 * Commands that need no Redis pass `{ redis: false }`.
 */
export async function provisionServers(
  settings: Settings,
  options: { redis?: boolean; logger?: Logger } = {},
): Promise<ProvisionedServers> {
  const logger = options.logger ?? new Logger('Infrastructure');
  const stops: Stops = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };
  try {
    const uri = await provisionMongo(settings.mongo, stops, logger);
    const url = options.redis === false ? settings.redis.url : await provisionRedis(settings.redis, stops, logger);
    return { settings: { ...settings, mongo: { ...settings.mongo, uri }, redis: { ...settings.redis, url } }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
