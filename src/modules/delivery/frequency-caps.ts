import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { Settings } from '../../config/settings';
import { CAP_RETENTION_MS, capArguments, CapVerdict, FrequencyCap } from './domain/frequency-cap';

/**
 * Check-and-reserve over two sorted sets of one user: their sends on the channel (every campaign) and
 * on the campaign, scored by send time. A send is refused when a cap's set already holds `max` sends
 * within its window before or after the send time (future sends count: a delayed message is already
 * promised). Reserving the same member again is granted without adding anything, so a re-processed
 * user never takes two slots. Reply: 0 granted, else {cap index (1-based), count}.
 * ARGV: member, send time (ms), retention (ms), then (key index, window ms, max) per cap.
 */
const RESERVE_SCRIPT = `
local member = ARGV[1]
local at = tonumber(ARGV[2])
local retention = tonumber(ARGV[3])
if redis.call('ZSCORE', KEYS[1], member) then return 0 end
local caps = (#ARGV - 3) / 3
for c = 0, caps - 1 do
  local key = KEYS[tonumber(ARGV[4 + 3 * c])]
  local window = tonumber(ARGV[5 + 3 * c])
  local max = tonumber(ARGV[6 + 3 * c])
  local count = redis.call('ZCOUNT', key, '(' .. (at - window), '(' .. (at + window))
  if count >= max then return {c + 1, count} end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - retention))
  redis.call('ZADD', key, at, member)
  redis.call('PEXPIRE', key, retention + math.max(0, at - now))
end
return 0`;

type WithReserve = Redis & { jcReserveCap(...args: Array<string | number>): Promise<0 | [number, number]> };

export interface CapSubject {
  userId: string;
  channel: string;
  campaignId: string;
}

/**
 * Frequency caps across campaigns and workers. Redis is the arbiter because the check and the
 * reservation must be one atomic step under concurrent workers, and a Lua script over a sorted set per
 * user does that in one round trip; MongoDB would need a conditional write on a per-user document that
 * every campaign contends on. Reservations are keyed by notification id, so retries are idempotent, and
 * released when a notification ends without being sent.
 */
@Injectable()
export class FrequencyCaps {
  private readonly redis: WithReserve;
  private readonly prefix: string;

  constructor(@Inject(REDIS_CLIENT) redis: Redis, config: ConfigService<Settings, true>) {
    // One hash tag per user keeps both of a user's sets in one Redis Cluster slot, as the script needs.
    this.prefix = `${config.get('redis', { infer: true }).prefix}:caps`;
    if (!('jcReserveCap' in redis)) redis.defineCommand('jcReserveCap', { lua: RESERVE_SCRIPT, numberOfKeys: 2 });
    this.redis = redis as WithReserve;
  }

  /** Reserves a send at `at` for `notificationId` unless one of `caps` is full. */
  async reserve(
    subject: CapSubject,
    caps: readonly FrequencyCap[],
    at: Date,
    notificationId: string,
  ): Promise<CapVerdict> {
    const reply = await this.redis.jcReserveCap(
      ...this.keys(subject),
      notificationId,
      at.getTime(),
      CAP_RETENTION_MS,
      ...capArguments(caps),
    );
    if (reply === 0) return { granted: true };
    const [index, count] = reply.map(Number);
    return { granted: false, cap: caps[index - 1], index: index - 1, count };
  }

  /** Gives back the slot of a notification that will not be sent. */
  async release(subject: CapSubject, notificationId: string): Promise<void> {
    const [channel, campaign] = this.keys(subject);
    await this.redis.multi().zrem(channel, notificationId).zrem(campaign, notificationId).exec();
  }

  private keys(subject: CapSubject): [string, string] {
    const user = `${this.prefix}:{${subject.userId}}`;
    return [`${user}:channel:${subject.channel}`, `${user}:campaign:${subject.campaignId}`];
  }
}
