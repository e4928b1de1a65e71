import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';
import { MetricsRegistry } from '../../common/metrics/metrics.registry';
import { REDIS_CLIENT } from '../../common/redis/redis.module';
import { Settings } from '../../config/settings';
import { DeliveryError } from './domain/delivery-error';
import type { ProviderName } from './domain/outbound-message';
import {
  TOKEN_REMOVAL_BUCKET_MS,
  TOKEN_REMOVAL_MAX_SHARE,
  TOKEN_REMOVAL_MIN_REFUSALS,
  TOKEN_REMOVAL_WINDOW_MS,
} from './domain/token-refusal-window';

/**
 * Counts one answer of a provider to any worker and judges it, timed by the Redis clock so all workers agree.
 * KEYS[1]: the provider's hash: the window's totals (`answers`, `refusals`), its oldest bucket still counted
 * (`oldest`), whether removals are stopped (`closed`), and per bucket `a<n>` answers and `r<n>` ambiguous refusals.
 * ARGV: 1 when the answer is an ambiguous refusal (else 0), window ms, bucket ms, minimum refusals, maximum share.
 * Buckets that left the window are taken off the totals first (all at once after a long silence). An ambiguous
 * refusal may remove its token unless the window holds at least the minimum of them and they are more than the
 * share of its answers; it also opens or closes the valve, and the reply says when it did (1 closed, -1 opened).
 * Reply: {allowed (1 or 0), change, answers, refusals}.
 */
const COUNT_SCRIPT = `
local key = KEYS[1]
local ambiguous = ARGV[1] == '1'
local window = tonumber(ARGV[2])
local bucketMs = tonumber(ARGV[3])
local minRefusals = tonumber(ARGV[4])
local maxShare = tonumber(ARGV[5])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local bucket = math.floor(now / bucketMs)
local expired = math.floor((now - window) / bucketMs)
local state = redis.call('HMGET', key, 'answers', 'refusals', 'oldest', 'closed')
local answers = tonumber(state[1]) or 0
local refusals = tonumber(state[2]) or 0
local oldest = tonumber(state[3]) or bucket
local closed = state[4] == '1'
if expired - oldest >= window / bucketMs then
  redis.call('DEL', key)
  answers, refusals, oldest = 0, 0, bucket
else
  for b = oldest, expired do
    local dropped = redis.call('HMGET', key, 'a' .. b, 'r' .. b)
    answers = answers - (tonumber(dropped[1]) or 0)
    refusals = refusals - (tonumber(dropped[2]) or 0)
    redis.call('HDEL', key, 'a' .. b, 'r' .. b)
  end
  oldest = math.max(oldest, expired + 1)
end
redis.call('HINCRBY', key, 'a' .. bucket, 1)
answers = answers + 1
if ambiguous then
  redis.call('HINCRBY', key, 'r' .. bucket, 1)
  refusals = refusals + 1
end
local allowed = refusals < minRefusals or refusals <= maxShare * answers
local change = 0
if ambiguous and closed == allowed then
  closed = not allowed
  change = closed and 1 or -1
end
redis.call('HSET', key, 'answers', answers, 'refusals', refusals, 'oldest', oldest, 'closed', closed and '1' or '0')
redis.call('PEXPIRE', key, window + bucketMs)
return { allowed and 1 or 0, change, answers, refusals }`;

type WithCount = Redis & {
  jcCountTokenAnswer(key: string, ...args: Array<string | number>): Promise<[number, number, number, number]>;
};

/**
 * Guards users' push tokens against our own settings. A refusal that blames a setting (`delivery.misconfigured`)
 * never removes a token and is logged once per provider and reason by each worker. A refusal that may be a dead
 * token or a setting (`ambiguousToken`: APNs BadDeviceToken, which a wrong APNS_URL gets for every token) removes
 * its token only while such refusals are a small share of the provider's answers to all workers in the last 15
 * minutes, counted in Redis: past it, the messages fail and the tokens stay on every worker, the closing logged by
 * the worker whose answer closed it and each token kept counted. Without Redis no such token is removed.
 */
@Injectable()
export class TokenRemovalValve {
  private readonly logger = new Logger(TokenRemovalValve.name);
  private readonly redis: WithCount;
  private readonly prefix: string;
  /** Whether the token an ambiguous refusal refused may be removed, as judged when the refusal was counted. */
  private readonly verdicts = new WeakMap<DeliveryError, boolean>();
  private readonly reported = new Set<string>();
  private readonly kept;
  private readonly misconfigured;

  constructor(metrics: MetricsRegistry, @Inject(REDIS_CLIENT) redis: Redis, config: ConfigService<Settings, true>) {
    this.kept = metrics.counter(
      'journeycast_delivery_tokens_kept_total',
      'Push tokens a provider refused but kept, since such refusals were too large a share of its answers',
      ['provider', 'providerCode'],
    );
    this.misconfigured = metrics.counter(
      'journeycast_delivery_misconfigured_total',
      'Sends a provider refused for one of our settings (the token is kept)',
      ['provider', 'providerCode', 'setting'],
    );
    this.prefix = `${config.get('redis', { infer: true }).prefix}:{token-refusals}`;
    if (!('jcCountTokenAnswer' in redis)) {
      redis.defineCommand('jcCountTokenAnswer', { lua: COUNT_SCRIPT, numberOfKeys: 1 });
    }
    this.redis = redis as WithCount;
  }

  /**
   * Counts a provider's answer to one send, an acceptance or a refusal (`error`) it gave with a status, among all
   * workers' answers; an ambiguous refusal is judged at once, for {@link mayRemove}. Never rejects.
   */
  async record(provider: ProviderName, error?: DeliveryError): Promise<void> {
    if (provider !== 'apns' && provider !== 'fcm' && provider !== 'webpush') return;
    if (error && error.status === undefined) return; // no answer from the provider: the road, not the token
    if (error?.code === 'delivery.misconfigured') this.reportMisconfigured(provider, error);
    // Only APNs refuses a token in a way a wrong setting also gives (BadDeviceToken): the other providers' answers
    // would be counted for no verdict, a Redis round trip on every send.
    if (provider !== 'apns') return;
    const ambiguous = error?.ambiguousToken === true ? error : undefined;
    let reply: [number, number, number, number];
    try {
      reply = await this.redis.jcCountTokenAnswer(
        `${this.prefix}:${provider}`,
        ambiguous ? 1 : 0,
        TOKEN_REMOVAL_WINDOW_MS,
        TOKEN_REMOVAL_BUCKET_MS,
        TOKEN_REMOVAL_MIN_REFUSALS,
        String(TOKEN_REMOVAL_MAX_SHARE),
      );
    } catch (failure) {
      if (ambiguous) {
        this.logger.warn({
          message: `push token kept: the ${provider} refusals of all workers cannot be counted without Redis`,
          provider,
          error: (failure as Error).message,
        });
      }
      return;
    }
    if (!ambiguous) return;
    const [allowed, change, answers, ambiguousCount] = reply.map(Number);
    this.verdicts.set(ambiguous, allowed === 1);
    const counts = { answers, ambiguous: ambiguousCount };
    if (change === -1) this.logger.warn({ message: 'push token removals resumed', provider, ...counts });
    if (change === 1) {
      this.logger.error({
        message:
          `push token removals stopped: more than ${TOKEN_REMOVAL_MAX_SHARE * 100}% of ${provider}'s answers ` +
          `in ${TOKEN_REMOVAL_WINDOW_MS / 60_000} minutes (at least ${TOKEN_REMOVAL_MIN_REFUSALS}) refuse the token ` +
          `with ${ambiguous.providerCode}; check ${ambiguous.setting ?? 'the provider settings'}. The messages fail and the tokens stay.`,
        provider,
        providerCode: ambiguous.providerCode,
        setting: ambiguous.setting,
        ...counts,
      });
    }
  }

  /**
   * Whether the token `error` refused may be removed from the user now: an ambiguous refusal only when
   * {@link record} counted it and found such refusals few.
   */
  mayRemove(error: DeliveryError): boolean {
    if (error.action !== 'remove-token') return false;
    if (!error.ambiguousToken || this.verdicts.get(error) === true) return true;
    this.kept.inc({ provider: error.provider, providerCode: error.providerCode ?? '' });
    return false;
  }

  private reportMisconfigured(provider: ProviderName, error: DeliveryError): void {
    this.misconfigured.inc({ provider, providerCode: error.providerCode ?? '', setting: error.setting ?? '' });
    const key = `${provider}|${error.providerCode}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.logger.error({
      message: `${provider} refuses sends for one of our settings: check ${error.setting}. The tokens are kept.`,
      provider,
      providerCode: error.providerCode,
      setting: error.setting,
    });
  }
}
