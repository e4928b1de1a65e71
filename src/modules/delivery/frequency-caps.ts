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
 * A live hold (KEYS[3], field member -> "at|deadline|campaign") counts like a slot; an expired one is dropped.
 * KEYS: the channel's set, the campaign's set, the holds. ARGV: member, send time (ms), retention (ms),
 * campaign id, hold (ms; 0 takes a slot), then (key index, window ms, max) per cap.
 */
const CHECK = `
local member = ARGV[1]
local at = tonumber(ARGV[2])
local retention = tonumber(ARGV[3])
local campaign = ARGV[4]
local holdMs = tonumber(ARGV[5])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local holds = {}
local raw = redis.call('HGETALL', KEYS[3])
for i = 1, #raw, 2 do
  local t, deadline, of = string.match(raw[i + 1], '^([^|]+)|([^|]+)|(.*)$')
  if tonumber(deadline) <= now then redis.call('HDEL', KEYS[3], raw[i])
  else holds[raw[i]] = { at = tonumber(t), campaign = of } end
end
local function refusal()
  local caps = (#ARGV - 5) / 3
  for c = 0, caps - 1 do
    local index = tonumber(ARGV[6 + 3 * c])
    local window = tonumber(ARGV[7 + 3 * c])
    local max = tonumber(ARGV[8 + 3 * c])
    local lo, hi = at - window, at + window
    -- The sends and live holds less than a window away, in time order.
    local times = {}
    local near = redis.call('ZRANGEBYSCORE', KEYS[index], '(' .. lo, '(' .. hi, 'WITHSCORES')
    for i = 2, #near, 2 do times[#times + 1] = tonumber(near[i]) end
    for m, h in pairs(holds) do
      if m ~= member and h.at > lo and h.at < hi and (index == 1 or h.campaign == campaign) then
        times[#times + 1] = h.at
      end
    end
    if #times >= max then
      table.sort(times)
      -- This one placed among them, after those at the same time, at index self.
      local self = #times + 1
      for i = 1, #times do
        if times[i] > at then self = i; break end
      end
      table.insert(times, self, at)
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
  for _, key in ipairs({ KEYS[1], KEYS[2] }) do
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - retention))
    redis.call('ZADD', key, at, member)
    redis.call('PEXPIRE', key, retention + math.max(0, at - now))
  end
  redis.call('HDEL', KEYS[3], member)
end
local function hold()
  redis.call('HSET', KEYS[3], member, at .. '|' .. (now + holdMs) .. '|' .. campaign)
  if redis.call('PTTL', KEYS[3]) < holdMs then redis.call('PEXPIRE', KEYS[3], holdMs) end
end
local function keep()
  if holdMs > 0 then hold() else take() end
  return 0
end
local function reserve()
  local refused = refusal()
  if refused then return refused end
  return keep()
end
`;

/**
 * Check-and-reserve over the sets of one user: their sends on the channel (every campaign) and on the
 * campaign, scored by send time, and their holds on the channel (the check is {@link CHECK}'s). A member
 * that has a slot is granted without adding anything, so a re-processed user never takes two slots; one
 * with a live hold keeps its time, and has the hold renewed, or made a slot (hold 0: the confirmation).
 * Reply: 0 granted, else the refusal.
 */
const RESERVE_SCRIPT = `${CHECK}
if redis.call('ZSCORE', KEYS[1], member) then return 0 end
if holds[member] then
  at = holds[member].at
  return keep()
end
return reserve()`;

/**
 * A reserved send that goes out later than its slot: the slot (or hold) is taken out and the send checked
 * again at its real time, then put back there. Refused, it is put back where it was: the caller releases it
 * once it has settled the message unsent, and a duplicate delivery job refused after another job took the
 * send (its check a moment later, when a window reaches a send it did not) must not free the slot of a
 * message that goes out. The same reply.
 */
const RETAKE_SCRIPT = `${CHECK}
local onChannel = redis.call('ZSCORE', KEYS[1], member)
local onCampaign = redis.call('ZSCORE', KEYS[2], member)
local held = redis.call('HGET', KEYS[3], member)
redis.call('ZREM', KEYS[1], member)
redis.call('ZREM', KEYS[2], member)
redis.call('HDEL', KEYS[3], member)
holds[member] = nil
local refused = refusal()
if not refused then return keep() end
if onChannel then redis.call('ZADD', KEYS[1], onChannel, member) end
if onCampaign then redis.call('ZADD', KEYS[2], onCampaign, member) end
if held then redis.call('HSET', KEYS[3], member, held) end
return refused`;

type CapRefusal = Extract<CapVerdict, { granted: false }>;
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

/** A notification's slot to confirm: its send time is where a lost hold is checked and taken again. */
export interface CapSlotClaim {
  subject: CapSubject;
  notificationId: string;
  at: Date;
}

/**
 * Frequency caps across campaigns and workers. Redis is the arbiter because the check and the
 * reservation must be one atomic step under concurrent workers, and a Lua script over a sorted set per
 * user does that in one round trip; MongoDB would need a conditional write on a per-user document that
 * every campaign contends on. Reservations are keyed by notification id, so retries are idempotent,
 * released when a notification ends without being sent, and moved when it goes out late.
 *
 * The fan-out checks before its notification record exists, so it takes a hold: counted by every check
 * like a slot, but only for `holdMs` unless confirmed once the record is written. A worker that dies, or a
 * shard that fails for good, between the two leaves nothing that outlives the hold.
 */
/** Keys deleted by one DEL when a user is erased; all of a user's keys share a cluster slot. */
const ERASE_KEYS_PER_CALL = 500;

@Injectable()
export class FrequencyCaps {
  private readonly redis: WithReserve;
  private readonly prefix: string;

  constructor(@Inject(REDIS_CLIENT) redis: Redis, config: ConfigService<Settings, true>) {
    // One hash tag per user keeps all of a user's keys in one Redis Cluster slot, as the scripts need.
    this.prefix = `${config.get('redis', { infer: true }).prefix}:caps`;
    if (!('jcReserveCap' in redis)) redis.defineCommand('jcReserveCap', { lua: RESERVE_SCRIPT, numberOfKeys: 3 });
    if (!('jcRetakeCap' in redis)) redis.defineCommand('jcRetakeCap', { lua: RETAKE_SCRIPT, numberOfKeys: 3 });
    this.redis = redis as WithReserve;
  }

  /** Reserves a send at `at` for `notificationId` unless one of `caps` is full. */
  reserve(subject: CapSubject, caps: readonly FrequencyCap[], at: Date, notificationId: string): Promise<CapVerdict> {
    return this.run('jcReserveCap', subject, caps, at, notificationId, 0);
  }

  /**
   * Holds a send at `at` for `notificationId` for `holdMs` unless one of `caps` is full: a slot for a
   * notification not written yet, which {@link confirmMany} makes a slot once it is. Held again, it is renewed.
   */
  hold(
    subject: CapSubject,
    caps: readonly FrequencyCap[],
    at: Date,
    notificationId: string,
    holdMs: number,
  ): Promise<CapVerdict> {
    return this.run('jcReserveCap', subject, caps, at, notificationId, holdMs);
  }

  /**
   * Makes the holds of written notifications slots. A hold that is gone (it lapsed, or a failed attempt of
   * the same shard gave it back) is checked again at the send time: the refusals, by notification id.
   */
  async confirmMany(slots: readonly CapSlotClaim[], caps: readonly FrequencyCap[]): Promise<Map<string, CapRefusal>> {
    const refusals = new Map<string, CapRefusal>();
    await Promise.all(
      slots.map(async ({ subject, notificationId, at }) => {
        const verdict = await this.reserve(subject, caps, at, notificationId);
        if (!verdict.granted) refusals.set(notificationId, verdict);
      }),
    );
    return refusals;
  }

  /**
   * Moves the slot of a send going out at `at`, later than the slot it reserved (a paused run resumed, a
   * retry, a rate-limit or quiet-hours wait), to `at`, unless one of `caps` is full there: a slot left at
   * the planned time would let a later message of any campaign go out less than a window after this one.
   * A refused send keeps its slot where it was until {@link release}d, once the caller has settled it unsent.
   * A slot that is gone (released, or lost with Redis) is taken anew.
   */
  retake(subject: CapSubject, caps: readonly FrequencyCap[], at: Date, notificationId: string): Promise<CapVerdict> {
    return this.run('jcRetakeCap', subject, caps, at, notificationId, 0);
  }

  /** Gives back the slot (or hold) of a notification that will not be sent. */
  async release(subject: CapSubject, notificationId: string): Promise<void> {
    await this.releaseMany([{ subject, notificationId }]);
  }

  /** Gives back the slots (or holds) of notifications that will not be sent, in one round trip. */
  async releaseMany(slots: ReadonlyArray<{ subject: CapSubject; notificationId: string }>): Promise<void> {
    if (slots.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { subject, notificationId } of slots) {
      const [channel, campaign, holds] = this.keys(subject);
      pipeline.zrem(channel, notificationId).zrem(campaign, notificationId).hdel(holds, notificationId);
    }
    await pipeline.exec();
  }

  /**
   * Gives back the holds of notifications that were not written; a confirmed slot (its notification was
   * written) is left as it is.
   */
  async releaseHolds(slots: ReadonlyArray<{ subject: CapSubject; notificationId: string }>): Promise<void> {
    if (slots.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { subject, notificationId } of slots) pipeline.hdel(this.keys(subject)[2], notificationId);
    await pipeline.exec();
  }

  /**
   * Deletes every send and hold counted for the user: on each of `channels`, and on each of `campaignIds`
   * (a user's campaign sets are named by campaign, so the caller lists them). How many keys went.
   */
  async eraseUser(userId: string, channels: readonly string[], campaignIds: readonly string[]): Promise<number> {
    const user = this.userKey(userId);
    const keys = [
      ...channels.flatMap((channel) => [`${user}:channel:${channel}`, `${user}:held:${channel}`]),
      ...campaignIds.map((campaignId) => `${user}:campaign:${campaignId}`),
    ];
    let erased = 0;
    for (let i = 0; i < keys.length; i += ERASE_KEYS_PER_CALL) {
      erased += await this.redis.del(...keys.slice(i, i + ERASE_KEYS_PER_CALL));
    }
    return erased;
  }

  private async run(
    script: 'jcReserveCap' | 'jcRetakeCap',
    subject: CapSubject,
    caps: readonly FrequencyCap[],
    at: Date,
    notificationId: string,
    holdMs: number,
  ): Promise<CapVerdict> {
    const reply = await this.redis[script](
      ...this.keys(subject),
      notificationId,
      at.getTime(),
      CAP_RETENTION_MS,
      subject.campaignId,
      holdMs,
      ...capArguments(caps),
    );
    if (reply === 0) return { granted: true };
    const [index, count] = reply.map(Number);
    return { granted: false, cap: caps[index - 1], index: index - 1, count };
  }

  /** The user's sends on the channel, on the campaign, and their holds on the channel. */
  private keys(subject: CapSubject): [string, string, string] {
    const user = this.userKey(subject.userId);
    return [
      `${user}:channel:${subject.channel}`,
      `${user}:campaign:${subject.campaignId}`,
      `${user}:held:${subject.channel}`,
    ];
  }

  /** The prefix of every key of the user's; its hash tag keeps them in one Redis Cluster slot. */
  private userKey(userId: string): string {
    return `${this.prefix}:{${userId}}`;
  }
}
