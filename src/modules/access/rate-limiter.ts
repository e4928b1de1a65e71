import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { Settings } from '../../config/settings';
import { REDIS_CLIENT } from '../../common/redis/redis.module';

/** Fixed window counter; INCR and PEXPIRE run as one script so replicas share one atomic count. */
const WINDOW_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

@Injectable()
export class RateLimiter {
  private readonly windowMs: number;
  private readonly defaultLimit: number;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    config: ConfigService<Settings, true>,
  ) {
    const access = config.get('access', { infer: true });
    this.windowMs = access.rateLimitWindowMs;
    this.defaultLimit = access.rateLimitRequests;
    this.prefix = config.get('redis', { infer: true }).prefix;
  }

  /** Counts one request of `keyId` and says whether it is within `limit` for the current window. */
  async hit(keyId: string, limit = this.defaultLimit): Promise<RateDecision> {
    const [count, ttl] = (await this.redis.eval(
      WINDOW_SCRIPT,
      1,
      `${this.prefix}:ratelimit:${keyId}`,
      this.windowMs,
    )) as [number, number];
    return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs: ttl };
  }
}
