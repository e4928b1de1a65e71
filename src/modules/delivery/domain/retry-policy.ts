import type { DeliveryError } from './delivery-error';

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number;
  /** Ceiling of the first retry's delay; it doubles with each attempt. */
  baseDelayMs: number;
  /** Ceiling of any computed delay (a provider's Retry-After may still ask for longer). */
  maxDelayMs: number;
}

export type RetryDecision =
  { retry: true; delayMs: number } | { retry: false; reason: 'permanent' | 'attempts-exhausted' };

/**
 * Exponential backoff with full jitter (a uniform delay in [0, min(cap, base * 2^(attempt-1))]), so a
 * burst of failures does not come back as a synchronised burst; `random` is a [0, 1) source.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Whether and when to try again after `attemptsMade` failed tries ended with `error`. A Retry-After
 * from the provider is a floor: we never come back sooner than it asked, jitter only adds to it.
 */
export function decideRetry(
  error: Pick<DeliveryError, 'retryable' | 'retryAfterMs'>,
  attemptsMade: number,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  if (!error.retryable) return { retry: false, reason: 'permanent' };
  if (attemptsMade >= policy.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  const jittered = backoffDelay(attemptsMade, policy, random);
  if (error.retryAfterMs === undefined) return { retry: true, delayMs: jittered };
  // Spread the herd that was told the same Retry-After over one more backoff step after it.
  return { retry: true, delayMs: error.retryAfterMs + Math.floor(jittered / 2) };
}
