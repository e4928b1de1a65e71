/**
 * What one run may spend on LLM copy. A run spread over several workers passes a shared implementation
 * (counters in Redis); a preview or a single process uses `LocalCopyBudget`.
 */
export interface CopyBudget {
  /** Reserves one call; false (and nothing reserved) when calls or tokens are spent. */
  tryStartCall(): Promise<boolean>;
  /** Gives back a call reserved and not made (the model started resting meanwhile). */
  releaseCall(): Promise<void>;
  recordTokens(tokens: number): Promise<void>;
  spent(): Promise<{ calls: number; tokens: number }>;
}

/**
 * An in-process budget. Tokens are counted when a reply arrives, so concurrent calls may overshoot the
 * token limit by at most the calls in flight; the call limit is never exceeded.
 */
export class LocalCopyBudget implements CopyBudget {
  private calls = 0;
  private tokens = 0;

  constructor(
    readonly maxCalls: number,
    readonly maxTokens: number,
  ) {}

  tryStartCall(): Promise<boolean> {
    if (this.calls >= this.maxCalls || this.tokens >= this.maxTokens) return Promise.resolve(false);
    this.calls += 1;
    return Promise.resolve(true);
  }

  releaseCall(): Promise<void> {
    this.calls -= 1;
    return Promise.resolve();
  }

  recordTokens(tokens: number): Promise<void> {
    this.tokens += tokens;
    return Promise.resolve();
  }

  spent(): Promise<{ calls: number; tokens: number }> {
    return Promise.resolve({ calls: this.calls, tokens: this.tokens });
  }
}
