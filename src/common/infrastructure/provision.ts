import { Logger } from '@nestjs/common';
import { ConfigError } from '../../config/parsers';
import { Settings } from '../../config/settings';
import { EmbeddedMongo } from '../../embedded-mongo';
import { probeRedis } from '../redis/redis-probe';
import { startRedisProcess } from '../redis/redis-process';

/** Settings with MONGODB_URI and REDIS_URL resolved, and a way to stop whatever had to be started. */
export interface ProvisionedServers {
  settings: Settings;
  stop(): Promise<void>;
}

const DEFAULT_REDIS = { host: '127.0.0.1', port: 6379 };

/**
 * Zero set-up for development: without MONGODB_URI the embedded server is started on
 * `mongo.dataDir`; without REDIS_URL a local Redis on 6379 is used, or a private redis-server child.
 */
export async function provisionServers(settings: Settings, logger = new Logger('Infrastructure')): Promise<ProvisionedServers> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };
  try {
    let mongoUri = settings.mongo.uri;
    if (!mongoUri) {
      const db = await EmbeddedMongo.start({ dir: settings.mongo.dataDir });
      stops.push(() => db.stop());
      mongoUri = db.uri;
      logger.log(`MONGODB_URI unset: embedded MongoDB-compatible server at ${db.uri} (data in ${settings.mongo.dataDir})`);
    }
    let redisUrl = settings.redis.url;
    if (!redisUrl && (await probeRedis(DEFAULT_REDIS.host, DEFAULT_REDIS.port))) {
      redisUrl = `redis://${DEFAULT_REDIS.host}:${DEFAULT_REDIS.port}`;
      logger.log(`REDIS_URL unset: using the Redis answering on ${redisUrl}`);
    }
    if (!redisUrl) {
      if (!settings.redis.autostart) {
        throw new ConfigError('REDIS_URL is not set and nothing answers on 127.0.0.1:6379 (REDIS_AUTOSTART=false)');
      }
      const redis = await startRedisProcess();
      stops.push(() => redis.stop());
      redisUrl = redis.url;
      logger.log(`REDIS_URL unset: started a private redis-server at ${redis.url}`);
    }
    return {
      settings: { ...settings, mongo: { ...settings.mongo, uri: mongoUri }, redis: { ...settings.redis, url: redisUrl } },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
