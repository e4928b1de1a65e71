import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { Settings } from '../../config/settings';
import { DependencyUnavailableError } from '../../common/errors/dependency-unavailable.error';
import { REDIS_RETRY_AFTER_SECONDS, RedisAvailability } from '../../common/redis/redis-availability';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { RateDecision, WindowCount, countHit, decide } from './domain/fixed-window';

/** Fixed window counter; INCR and PEXPIRE run as one script so replicas share one atomic count. */
const WINDOW_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

/**
 * Per-key request limits counted in Redis, shared by all replicas. While Redis is unreachable it
 * answers at once, by RATE_LIMIT_FAILURE_MODE: `open` counts each key in this process's memory (each
 * replica then holds the key to its limit on its own), `closed` refuses with 503 and Retry-After.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);
  private readonly windowMs: number;
  private readonly defaultLimit: number;
  private readonly failOpen: boolean;
  private readonly prefix: string;
  private readonly local = new Map<string, WindowCount>();
  private lastWarnedAt = 0;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly availability: RedisAvailability,
    config: ConfigService<Settings, true>,
  ) {
    const access = config.get('access', { infer: true });
    this.windowMs = access.rateLimitWindowMs;
    this.defaultLimit = access.rateLimitRequests;
    this.failOpen = access.rateLimitFailureMode === 'open';
    this.prefix = config.get('redis', { infer: true }).prefix;
  }

  /** Counts one request of `keyId` and says whether it is within `limit` for the current window. */
  async hit(keyId: string, limit = this.defaultLimit): Promise<RateDecision> {
    if (this.availability.available) {
      try {
        const key = `${this.prefix}:ratelimit:${keyId}`;
        const [count, ttl] = (await this.redis.eval(WINDOW_SCRIPT, 1, key, this.windowMs)) as [number, number];
        return decide(count, limit, ttl);
      } catch (error) {
        // A hung server (the connection looks up, commands time out); a lost connection is logged by RedisAvailability.
        if (Date.now() - this.lastWarnedAt > this.windowMs) {
          this.lastWarnedAt = Date.now();
          this.logger.warn(`rate limits not counted in Redis: ${(error as Error).message}`);
        }
      }
    }
    return this.hitWhileRedisIsAway(keyId, limit);
  }

  private hitWhileRedisIsAway(keyId: string, limit: number): RateDecision {
    if (!this.failOpen) throw new DependencyUnavailableError('redis', REDIS_RETRY_AFTER_SECONDS);
    const now = Date.now();
    const window = countHit(this.local.get(keyId), now, this.windowMs);
    this.local.set(keyId, window);
    return decide(window.count, limit, window.resetAt - now);
  }
}
