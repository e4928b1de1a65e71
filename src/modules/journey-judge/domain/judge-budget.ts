/** A token amount set aside for one call until its real usage is known. */
export interface Reservation {
  readonly tokens: number;
}

/**
 * The token budget of one judge run. A call reserves an upper estimate before it starts (prompt characters
 * / 3 plus its completion limit) and settles with the real usage, so concurrent calls cannot overshoot the
 * budget by more than the estimates were wrong.
 */
export class TokenBudget {
  private spentTokens = 0;
  private reservedTokens = 0;
  private refused = false;

  constructor(readonly maxTokens: number) {}

  /** Estimated tokens of a call with this prompt and completion limit. */
  static estimate(promptChars: number, maxCompletionTokens: number): number {
    return Math.ceil(promptChars / 3) + maxCompletionTokens;
  }

  /** Sets tokens aside for a call, or refuses (undefined) when they would exceed the budget. */
  tryReserve(tokens: number): Reservation | undefined {
    if (this.spentTokens + this.reservedTokens + tokens > this.maxTokens) {
      this.refused = true;
      return undefined;
    }
    this.reservedTokens += tokens;
    return { tokens };
  }

  /** Replaces a reservation with what the call really used (0 when it failed before any answer). */
  settle(reservation: Reservation, usedTokens: number): void {
    this.reservedTokens -= reservation.tokens;
    this.spentTokens += usedTokens;
  }

  get spent(): number {
    return this.spentTokens;
  }

  /** Whether a call was refused for lack of budget. */
  get exhausted(): boolean {
    return this.refused;
  }
}
