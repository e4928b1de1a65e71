import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { Settings } from '../../config/settings';
import { ChannelSelection, providerFor } from './domain/channel-selection';
import type { OutboundMessage, ProviderName } from './domain/outbound-message';
import { CHANNEL_SELECTION } from './channel-registry';

/**
 * Token buckets for every key at once, timed by the Redis clock so all workers agree: a slot is
 * taken from all buckets or from none, and the reply is 0 or the milliseconds until every bucket
 * has a token. ARGV holds (rate per second, burst) per key.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local levels = {}
local wait = 0
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  local state = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(state[1]) or burst
  local at = tonumber(state[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
  levels[i] = tokens
  if tokens < 1 then wait = math.max(wait, math.ceil((1 - tokens) * 1000 / rate)) end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i - 1])
  local burst = tonumber(ARGV[2 * i])
  redis.call('HSET', key, 'tokens', tostring(levels[i] - 1), 'at', now)
  redis.call('PEXPIRE', key, math.ceil(burst * 1000 / rate) + 1000)
end
return 0`;

export interface SendSlot {
  granted: boolean;
  /** Milliseconds until a slot is free (0 when granted). */
  waitMs: number;
}

export interface RateBucket {
  key: string;
  ratePerSecond: number;
  burst?: number;
}

type WithTake = Redis & { jcTakeSendSlot(...args: Array<string | number>): Promise<number> };

/**
 * Send-rate limits per provider and per campaign, shared by every worker process through Redis.
 * Same shape as the API key RateLimiter (one script, one round trip) but a token bucket, so the
 * rate is smooth and the answer says exactly how long to wait.
 */
@Injectable()
export class SendRateLimiter {
  private readonly redis: WithTake;
  private readonly providerRates: Record<ProviderName, number>;
  private readonly campaignRate: number;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS_CLIENT) redis: Redis,
    @Inject(CHANNEL_SELECTION) private readonly selection: ChannelSelection,
    config: ConfigService<Settings, true>,
  ) {
    const delivery = config.get('delivery', { infer: true });
    this.providerRates = {
      outbox: 0,
      smtp: delivery.rateSmtp,
      fcm: delivery.rateFcm,
      apns: delivery.rateApns,
      webpush: delivery.rateWebpush,
      webhook: delivery.rateWebhook,
    };
    this.campaignRate = delivery.rateCampaign;
    // One hash tag keeps all buckets in one Redis Cluster slot, as a multi-key script requires.
    this.prefix = `${config.get('redis', { infer: true }).prefix}:{send-rate}`;
    if (!('jcTakeSendSlot' in redis)) redis.defineCommand('jcTakeSendSlot', { lua: TAKE_SCRIPT });
    this.redis = redis as WithTake;
  }

  /**
   * Takes one slot of the message's provider and campaign, or says how long to wait. `campaignRate`
   * (messages per second) overrides DELIVERY_RATE_CAMPAIGN for this campaign; 0 means no limit.
   */
  tryAcquire(message: OutboundMessage, campaignRate = this.campaignRate): Promise<SendSlot> {
    const provider = providerFor(message, this.selection);
    return this.take([
      { key: `provider:${provider}`, ratePerSecond: this.providerRates[provider] },
      { key: `campaign:${message.campaignId}`, ratePerSecond: campaignRate },
    ]);
  }

  /**
   * Takes a slot from every named bucket or none. A bucket holds `burst` slots (default: one
   * second's worth, at least 1) refilled at `ratePerSecond`; a rate of 0 is unlimited.
   */
  async take(buckets: RateBucket[]): Promise<SendSlot> {
    const limited = buckets.filter((bucket) => bucket.ratePerSecond > 0);
    if (limited.length === 0) return { granted: true, waitMs: 0 };
    const args = limited.flatMap((b) => [b.ratePerSecond, b.burst ?? Math.max(1, b.ratePerSecond)]);
    const waitMs = Number(
      await this.redis.jcTakeSendSlot(limited.length, ...limited.map((b) => `${this.prefix}:${b.key}`), ...args),
    );
    return { granted: waitMs === 0, waitMs };
  }
}
