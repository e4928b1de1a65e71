import { Logger } from '@nestjs/common';
import { ConfigError } from '../../config/parsers';
import { Settings } from '../../config/settings';
import { DataDirectoryInUseError, EmbeddedMongo, readLock } from '../../embedded-mongo';
import { probeRedis } from '../redis/redis-probe';
import { startRedisProcess } from '../redis/redis-process';
import { holderUri } from './embedded-mongo-holder';
import { publishEndpoints, publishedRedis, withdrawEndpoints } from './endpoints-file';

/** Settings with MONGODB_URI (and REDIS_URL when asked for) resolved, and a way to stop what was started. */
export interface ProvisionedServers {
  settings: Settings;
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  /** false: no Redis at all; 'running': a Redis that already runs (never start a private one); default: any. */
  redis?: boolean | 'running';
  logger?: Logger;
}

type Stops = Array<() => Promise<void>>;

const DEFAULT_REDIS = { host: '127.0.0.1', port: 6379 };

async function startEmbedded(mongo: Settings['mongo'], stops: Stops, logger: Logger): Promise<string | null> {
  try {
    const db = await EmbeddedMongo.start({ dir: mongo.dataDir, port: mongo.embeddedPort });
    stops.push(async () => void (await db.stop()));
    logger.log(`MONGODB_URI unset: embedded MongoDB-compatible server at ${db.uri} (data in ${mongo.dataDir})`);
    return db.uri;
  } catch (error) {
    if (error instanceof DataDirectoryInUseError) return null;
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(
        `MONGO_EMBEDDED_PORT ${mongo.embeddedPort} is taken by another process: set MONGO_EMBEDDED_PORT to a free port (0 picks one)`,
      );
    }
    throw error;
  }
}

/**
 * Without MONGODB_URI: the embedded server on MONGO_DATA_DIR. When another process already holds
 * that directory, its own server (found through the lock file and verified) is used, whatever
 * MONGO_EMBEDDED_PORT says; a holder that does not answer is refused with a clear error.
 */
async function provisionMongo(mongo: Settings['mongo'], stops: Stops, logger: Logger): Promise<string> {
  if (mongo.uri) return mongo.uri;
  for (let attempt = 0; attempt < 3; attempt++) {
    const started = await startEmbedded(mongo, stops, logger);
    if (started) return started;
    const holder = readLock(mongo.dataDir);
    if (!holder) continue; // released meanwhile: try to take it
    const uri = await holderUri(mongo.dataDir, holder);
    if (uri) {
      logger.log(`${mongo.dataDir} is served by running process ${holder.pid}: using ${uri}`);
      return uri;
    }
  }
  throw new ConfigError(`could not open or reach the embedded server of MONGO_DATA_DIR ${mongo.dataDir}`);
}

async function provisionRedis(settings: Settings, running: boolean, stops: Stops, logger: Logger): Promise<string> {
  const { redis, mongo } = settings;
  if (redis.url) return redis.url;
  const published = await publishedRedis(mongo.dataDir);
  if (published) {
    logger.log(`REDIS_URL unset: using the Redis of the running app, ${published}`);
    return published;
  }
  if (await probeRedis(DEFAULT_REDIS.host, DEFAULT_REDIS.port)) {
    const url = `redis://${DEFAULT_REDIS.host}:${DEFAULT_REDIS.port}`;
    logger.log(`REDIS_URL unset: using the Redis answering on ${url}`);
    return url;
  }
  if (running) {
    throw new ConfigError(
      `No Redis: REDIS_URL is unset, no running app published one in ${mongo.dataDir}, and nothing answers on 127.0.0.1:6379`,
    );
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
 * `mongo.dataDir` (or the one already serving it is used); without REDIS_URL, the Redis a running
 * app published, a local Redis on 6379, or a private redis-server child. Servers this process
 * starts are recorded in the data directory so that CLI commands reach the same ones.
 */
export async function provisionServers(
  settings: Settings,
  options: ProvisionOptions = {},
): Promise<ProvisionedServers> {
  const logger = options.logger ?? new Logger('Infrastructure');
  const stops: Stops = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };
  try {
    const mongoStops = stops.length;
    const uri = await provisionMongo(settings.mongo, stops, logger);
    const startedMongo = stops.length > mongoStops;
    const redisStops = stops.length;
    const url =
      options.redis === false
        ? settings.redis.url
        : await provisionRedis(settings, options.redis === 'running', stops, logger);
    const startedRedis = stops.length > redisStops;
    if (startedMongo || startedRedis) {
      publishEndpoints(settings.mongo.dataDir, {
        mongo: startedMongo ? uri : undefined,
        redis: startedRedis ? url : undefined,
      });
      stops.push(async () => withdrawEndpoints(settings.mongo.dataDir));
    }
    return { settings: { ...settings, mongo: { ...settings.mongo, uri }, redis: { ...settings.redis, url } }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
