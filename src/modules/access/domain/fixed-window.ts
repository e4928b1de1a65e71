/** One key's hits in a fixed window, as counted in process memory while Redis is away. */
export interface WindowCount {
  count: number;
  /** Epoch milliseconds when the window ends. */
  resetAt: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Counts one hit: in the current window, or in a new one starting now when the last has ended. */
export function countHit(previous: WindowCount | undefined, now: number, windowMs: number): WindowCount {
  if (!previous || previous.resetAt <= now) return { count: 1, resetAt: now + windowMs };
  return { count: previous.count + 1, resetAt: previous.resetAt };
}

/** Whether the `count`-th hit of a window is within `limit`, with what remains and when it resets. */
export function decide(count: number, limit: number, resetMs: number): RateDecision {
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs };
}
