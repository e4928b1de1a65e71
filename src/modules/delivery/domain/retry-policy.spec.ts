import { DeliveryError } from './delivery-error';
import { backoffDelay, decideRetry, RetryPolicy } from './retry-policy';
import { parseRetryAfter } from './retry-after';
import { Prng } from '../../../lib/synthetic/prng';

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };
const NOW = new Date('2026-03-01T12:00:00Z');

/** A seeded [0, 1) source, so jitter is reproducible. */
function seeded(seed: number): () => number {
  const prng = new Prng(seed);
  return () => prng.next();
}

describe('backoffDelay', () => {
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [6, 32_000],
    [7, 60_000],
    [30, 60_000],
  ])('after attempt %i stays within [0, %i] ms (full jitter under the cap)', (attempt, ceiling) => {
    expect(backoffDelay(attempt, POLICY, () => 0)).toBe(0);
    expect(backoffDelay(attempt, POLICY, () => 0.999999)).toBe(ceiling - 1);
    const random = seeded(attempt);
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffDelay(attempt, POLICY, random);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(ceiling);
    }
  });

  it('spreads a herd of retries instead of synchronising them', () => {
    const random = seeded(7);
    const delays = Array.from({ length: 500 }, () => backoffDelay(4, POLICY, random));
    expect(new Set(delays).size).toBeGreaterThan(400);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(3000);
    expect(mean).toBeLessThan(5000);
  });
});

describe('decideRetry', () => {
  const retryable = new DeliveryError('delivery.unavailable', 'fcm', 'HTTP 503', { status: 503 });
  const throttled = new DeliveryError('delivery.throttled', 'fcm', '429', { status: 429, retryAfterMs: 30_000 });
  const dead = new DeliveryError('delivery.invalid-token', 'apns', 'Unregistered', { status: 410 });

  it('never retries a permanent failure', () => {
    expect(decideRetry(dead, 1, POLICY, Math.random)).toEqual({ retry: false, reason: 'permanent' });
  });

  it('stops after the last attempt', () => {
    expect(decideRetry(retryable, 5, POLICY, Math.random)).toEqual({ retry: false, reason: 'attempts-exhausted' });
    expect(decideRetry(retryable, 4, POLICY, () => 0.5)).toEqual({ retry: true, delayMs: 4000 });
  });

  it('waits at least as long as Retry-After asked, with jitter on top', () => {
    const random = seeded(3);
    for (let i = 0; i < 100; i += 1) {
      const decision = decideRetry(throttled, 1, POLICY, random);
      if (!decision.retry) throw new Error('expected a retry');
      expect(decision.delayMs).toBeGreaterThanOrEqual(30_000);
      expect(decision.delayMs).toBeLessThan(30_500);
    }
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | string[] | undefined, number | undefined]>([
    [undefined, undefined],
    ['120', 120_000],
    [' 0 ', 0],
    [['5', '9'], 5000],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
    ['1.5', undefined],
    ['99999999', 86_400_000],
  ])('reads %j as %j ms', (header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });
});
