import Redis from 'ioredis';
import { CopyBudget } from '../../personalization/domain/copy-budget';

/** Takes one call unless calls or tokens are spent; the reply is 1 (taken) or 0. ARGV: max calls, max tokens, ttl ms. */
const TAKE_CALL = `
local calls = tonumber(redis.call('HGET', KEYS[1], 'calls') or '0')
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or '0')
if calls >= tonumber(ARGV[1]) or tokens >= tonumber(ARGV[2]) then return 0 end
redis.call('HINCRBY', KEYS[1], 'calls', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

type WithTake = Redis & { jcTakeCopyCall(key: string, ...args: number[]): Promise<number> };

/** Budgets live as long as a run can (a local-hour run spans about a day and a half), with room to spare. */
const TTL_MS = 7 * 86_400_000;

/**
 * A run's LLM copy budget shared by every worker: counters in one Redis hash per run. As with the local
 * budget, calls never exceed the limit, and tokens may overshoot by the calls in flight.
 */
export class RunCopyBudget implements CopyBudget {
  private readonly redis: WithTake;

  constructor(
    redis: Redis,
    private readonly key: string,
    private readonly limits: { calls: number; tokens: number },
  ) {
    if (!('jcTakeCopyCall' in redis)) redis.defineCommand('jcTakeCopyCall', { lua: TAKE_CALL, numberOfKeys: 1 });
    this.redis = redis as WithTake;
  }

  async tryStartCall(): Promise<boolean> {
    return (await this.redis.jcTakeCopyCall(this.key, this.limits.calls, this.limits.tokens, TTL_MS)) === 1;
  }

  async releaseCall(): Promise<void> {
    await this.redis.multi().hincrby(this.key, 'calls', -1).pexpire(this.key, TTL_MS).exec();
  }

  async recordTokens(tokens: number): Promise<void> {
    await this.redis.multi().hincrby(this.key, 'tokens', tokens).pexpire(this.key, TTL_MS).exec();
  }

  async spent(): Promise<{ calls: number; tokens: number }> {
    const [calls, tokens] = await this.redis.hmget(this.key, 'calls', 'tokens');
    return { calls: Number(calls ?? 0), tokens: Number(tokens ?? 0) };
  }
}
