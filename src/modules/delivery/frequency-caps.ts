import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { Settings } from '../../config/settings';
import { CAP_RETENTION_MS, capArguments, CapVerdict, FrequencyCap } from './domain/frequency-cap';

/**
 * The check of the cap scripts: a send at `at` is refused when some window of a cap's length that holds
 * the send time would hold more than `max` sends with it: `max` sends and this one less than a window
 * apart from first to last (future sends count: a delayed message is already promised). Sends on both
 * sides of it that no single window reaches together do not add up. Refusal: {cap index (1-based), max}.
 * ARGV: member, send time (ms), retention (ms), then (key index, window ms, max) per cap.
 */
const CHECK = `
local member = ARGV[1]
local at = tonumber(ARGV[2])
local retention = tonumber(ARGV[3])
local function refusal()
  local caps = (#ARGV - 3) / 3
  for c = 0, caps - 1 do
    local key = KEYS[tonumber(ARGV[4 + 3 * c])]
    local window = tonumber(ARGV[5 + 3 * c])
    local max = tonumber(ARGV[6 + 3 * c])
    local lo, hi = '(' .. (at - window), '(' .. (at + window)
    if redis.call('ZCOUNT', key, lo, hi) >= max then
      -- The sends less than a window away, in time order, with this one placed among them at index self.
      local near = redis.call('ZRANGEBYSCORE', key, lo, hi, 'WITHSCORES')
      local times, self = {}, nil
      for i = 2, #near, 2 do
        local t = tonumber(near[i])
        if not self and t > at then times[#times + 1] = at; self = #times end
        times[#times + 1] = t
      end
      if not self then times[#times + 1] = at; self = #times end
      -- Every run of max + 1 consecutive sends through this one: less than a window from first to last overfills one.
      for first = math.max(1, self - max), self do
        local last = first + max
        if last <= #times and times[last] - times[first] < window then return {c + 1, max} end
      end
    end
  end
  return nil
end
local function take()
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000
  for _, key in ipairs(KEYS) do
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - retention))
    redis.call('ZADD', key, at, member)
    redis.call('PEXPIRE', key, retention + math.max(0, at - now))
  end
end
local function reserve()
  local refused = refusal()
  if refused then return refused end
  take()
  return 0
end
`;

/**
 * Check-and-reserve over two sorted sets of one user: their sends on the channel (every campaign) and on
 * the campaign, scored by send time (the check is {@link CHECK}'s). Reserving the same member again is
 * granted without adding anything, so a re-processed user never takes two slots. Reply: 0 granted, else
 * the refusal.
 */
const RESERVE_SCRIPT = `${CHECK}
if redis.call('ZSCORE', KEYS[1], member) then return 0 end
return reserve()`;

/**
 * A reserved send that goes out later than its slot: the slot is taken out and the send checked again at
 * its real time, then put back there; refused, it stays out (the message will not be sent). The same reply.
 */
const RETAKE_SCRIPT = `${CHECK}
redis.call('ZREM', KEYS[1], member)
redis.call('ZREM', KEYS[2], member)
return reserve()`;

type CapReply = Promise<0 | [number, number]>;
type WithReserve = Redis & {
  jcReserveCap(...args: Array<string | number>): CapReply;
  jcRetakeCap(...args: Array<string | number>): CapReply;
};

export interface CapSubject {
  userId: string;
  channel: string;
  campaignId: string;
}

/**
 * Frequency caps across campaigns and workers. Redis is the arbiter because the check and the
 * reservation must be one atomic step under concurrent workers, and a Lua script over a sorted set per
 * user does that in one round trip; MongoDB would need a conditional write on a per-user document that
 * every campaign contends on. Reservations are keyed by notification id, so retries are idempotent,
 * released when a notification ends without being sent, and moved when it goes out late.
 */
@Injectable()
export class FrequencyCaps {
  private readonly redis: WithReserve;
  private readonly prefix: string;

  constructor(@Inject(REDIS_CLIENT) redis: Redis, config: ConfigService<Settings, true>) {
    // One hash tag per user keeps both of a user's sets in one Redis Cluster slot, as the script needs.
    this.prefix = `${config.get('redis', { infer: true }).prefix}:caps`;
    if (!('jcReserveCap' in redis)) redis.defineCommand('jcReserveCap', { lua: RESERVE_SCRIPT, numberOfKeys: 2 });
    if (!('jcRetakeCap' in redis)) redis.defineCommand('jcRetakeCap', { lua: RETAKE_SCRIPT, numberOfKeys: 2 });
    this.redis = redis as WithReserve;
  }

  /** Reserves a send at `at` for `notificationId` unless one of `caps` is full. */
  reserve(subject: CapSubject, caps: readonly FrequencyCap[], at: Date, notificationId: string): Promise<CapVerdict> {
    return this.run('jcReserveCap', subject, caps, at, notificationId);
  }

  /**
   * Moves the slot of a send going out at `at`, later than the slot it reserved (a paused run resumed, a
   * retry, a rate-limit or quiet-hours wait), to `at`, unless one of `caps` is full there: a slot left at
   * the planned time would let a later message of any campaign go out less than a window after this one.
   * A refused send has no slot any more. A slot that is gone (released, or lost with Redis) is taken anew.
   */
  retake(subject: CapSubject, caps: readonly FrequencyCap[], at: Date, notificationId: string): Promise<CapVerdict> {
    return this.run('jcRetakeCap', subject, caps, at, notificationId);
  }

  /** Gives back the slot of a notification that will not be sent. */
  async release(subject: CapSubject, notificationId: string): Promise<void> {
    const [channel, campaign] = this.keys(subject);
    await this.redis.multi().zrem(channel, notificationId).zrem(campaign, notificationId).exec();
  }

  /** Gives back the slots of notifications that will not be sent, in one round trip. */
  async releaseMany(slots: ReadonlyArray<{ subject: CapSubject; notificationId: string }>): Promise<void> {
    if (slots.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { subject, notificationId } of slots) {
      for (const key of this.keys(subject)) pipeline.zrem(key, notificationId);
    }
    await pipeline.exec();
  }

  private async run(
    script: 'jcReserveCap' | 'jcRetakeCap',
    subject: CapSubject,
    caps: readonly FrequencyCap[],
    at: Date,
    notificationId: string,
  ): Promise<CapVerdict> {
    const reply = await this.redis[script](
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

  private keys(subject: CapSubject): [string, string] {
    const user = `${this.prefix}:{${subject.userId}}`;
    return [`${user}:channel:${subject.channel}`, `${user}:campaign:${subject.campaignId}`];
  }
}
