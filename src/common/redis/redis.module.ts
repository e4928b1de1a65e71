import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { Settings } from '../../config/settings';
import { RedisAvailability } from './redis-availability';

/** Injection token of the shared ioredis client (rate limits, health); Bull opens its own connections. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    // quit() waits for a reply that never comes while Redis is unreachable; then just drop the socket.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Settings, true>) => {
        const { url, commandTimeoutMs } = config.get('redis', { infer: true });
        if (!url) throw new Error('REDIS_URL must be resolved before the app module is built');
        return new Redis(url, {
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          // Connected by the RedisAvailability provider, once its listeners are attached.
          lazyConnect: true,
          commandTimeout: commandTimeoutMs,
          // Commands issued in the same tick share one write: a fan-out reserves caps and moves counters for
          // many users at once, and one socket write per command cost about 7% of a send's CPU.
          enableAutoPipelining: true,
        });
      },
    },
    {
      provide: RedisAvailability,
      inject: [REDIS_CLIENT],
      useFactory: (redis: Redis) => {
        const availability = new RedisAvailability(redis, new Logger('Redis'));
        // A failed first attempt is reported (and logged) as an 'error' event; ioredis keeps retrying.
        redis.connect().catch(() => undefined);
        return availability;
      },
    },
    RedisCloser,
  ],
  exports: [REDIS_CLIENT, RedisAvailability],
})
export class RedisModule {}
