/** `closed`: calls go through; `open`: calls rest; `half-open`: the rest is over and one trial call is out. */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Failed calls in a row after which calls rest. */
  failuresBeforeRest: number;
  restMs: number;
  now: () => number;
  /** Told of every change of state, with the failure that opened the breaker. */
  onChange?: (state: BreakerState, previous: BreakerState, cause?: unknown) => void;
}

/** Thrown at once, without running the task, while the breaker rests. */
export class CircuitRestingError extends Error {
  constructor(readonly failuresBeforeRest: number) {
    super(`failed ${failuresBeforeRest} times in a row: calls rest`);
    this.name = 'CircuitRestingError';
  }
}

type Admission = 'run' | 'trial' | 'rest' | 'wait';

/**
 * A circuit breaker. After `failuresBeforeRest` failed calls in a row it rests for `restMs`, then lets one
 * trial call through: success closes it, failure rests again. Until a call has succeeded (at first, and
 * after any failure) calls whose outcome is pending count against the failures left, and calls beyond them
 * wait for an outcome, so a task that keeps failing runs at most `failuresBeforeRest` times however many
 * callers run at once.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  /** Whether the last call that ended succeeded: calls then run without counting pending ones. */
  private proven = false;
  private pending = 0;
  private openUntil = 0;
  private waiting: Array<() => void> = [];

  constructor(private readonly options: CircuitBreakerOptions) {
    if (!Number.isInteger(options.failuresBeforeRest) || options.failuresBeforeRest < 1) {
      throw new RangeError('failuresBeforeRest must be a positive integer');
    }
  }

  get state(): BreakerState {
    return this.current;
  }

  /** Whether a call made now would rest without running. */
  get resting(): boolean {
    return this.current === 'half-open' || (this.current === 'open' && this.options.now() < this.openUntil);
  }

  /** Runs `task` unless the breaker rests; errors `countsAsFailure` rejects (a verdict, not an outage) count as success. */
  async run<T>(task: () => Promise<T>, countsAsFailure: (error: unknown) => boolean = () => true): Promise<T> {
    let admission = this.admit();
    while (admission === 'wait') {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      admission = this.admit();
    }
    if (admission === 'rest') throw new CircuitRestingError(this.options.failuresBeforeRest);
    const trial = admission === 'trial';
    this.pending += 1;
    try {
      const value = await task();
      this.settle(true, trial);
      return value;
    } catch (error) {
      this.settle(!countsAsFailure(error), trial, error);
      throw error;
    }
  }

  /**
   * Rests at once until `ms` from now (or later, when the rest already lasts longer), whatever the failures so
   * far: the callee asked for it. A call out when it starts changes nothing when it ends, a trial call included.
   */
  restFor(ms: number, cause?: unknown): void {
    this.failures = 0;
    this.openUntil = Math.max(this.openUntil, this.options.now() + ms);
    if (this.current !== 'open') this.change('open', cause);
  }

  private admit(): Admission {
    if (this.current === 'half-open') return 'rest';
    if (this.current === 'open') {
      if (this.options.now() < this.openUntil) return 'rest';
      this.change('half-open');
      return 'trial';
    }
    if (this.proven || this.failures + this.pending < this.options.failuresBeforeRest) return 'run';
    return 'wait';
  }

  private settle(succeeded: boolean, trial: boolean, cause?: unknown): void {
    this.pending -= 1;
    if (succeeded) {
      this.failures = 0;
      this.proven = true;
      if (this.current !== 'closed') this.change('closed');
    } else if (this.current === 'closed') {
      this.proven = false;
      this.failures += 1;
      if (this.failures >= this.options.failuresBeforeRest) this.rest(cause);
    } else if (trial && this.current === 'half-open') {
      this.rest(cause);
    }
    // A call that began before the breaker opened and fails while it rests changes nothing.
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }

  private rest(cause: unknown): void {
    this.failures = 0;
    this.openUntil = this.options.now() + this.options.restMs;
    this.change('open', cause);
  }

  private change(state: BreakerState, cause?: unknown): void {
    const previous = this.current;
    this.current = state;
    this.options.onChange?.(state, previous, cause);
  }
}
