import { LlmUsageTotals } from './llm.types';

/** Called once per LLM call with its purpose, outcome and tokens; `rested`: not made, the model rests. */
export type LlmUsageObserver = (
  purpose: string,
  outcome: 'ok' | 'failed' | 'rested',
  promptTokens: number,
  completionTokens: number,
) => void;

const empty = (): LlmUsageTotals => ({ calls: 0, failures: 0, promptTokens: 0, completionTokens: 0 });

/** Token and call accounting per purpose, so build runs and reports can show what the LLM cost. */
export class LlmUsageMeter {
  private readonly byPurpose = new Map<string, LlmUsageTotals>();

  /** `observer` sees every call as it is recorded (the process's /metrics counters). */
  constructor(private readonly observer?: LlmUsageObserver) {}

  recordSuccess(purpose: string, promptTokens: number, completionTokens: number): void {
    this.observer?.(purpose, 'ok', promptTokens, completionTokens);
    const totals = this.totalsOf(purpose);
    totals.calls += 1;
    totals.promptTokens += promptTokens;
    totals.completionTokens += completionTokens;
  }

  /** A failed call; an answer that fails (a refusal) still spent the tokens it reports. */
  recordFailure(purpose: string, promptTokens = 0, completionTokens = 0): void {
    this.observer?.(purpose, 'failed', promptTokens, completionTokens);
    const totals = this.totalsOf(purpose);
    totals.calls += 1;
    totals.failures += 1;
    totals.promptTokens += promptTokens;
    totals.completionTokens += completionTokens;
  }

  /** A call not made because its model rests: seen by the observer, but neither a call nor a cost. */
  recordRested(purpose: string): void {
    this.observer?.(purpose, 'rested', 0, 0);
  }

  /** A copy of the totals, per purpose and overall. */
  snapshot(): { total: LlmUsageTotals; byPurpose: Record<string, LlmUsageTotals> } {
    const total = empty();
    const byPurpose: Record<string, LlmUsageTotals> = {};
    for (const [purpose, totals] of this.byPurpose) {
      byPurpose[purpose] = { ...totals };
      total.calls += totals.calls;
      total.failures += totals.failures;
      total.promptTokens += totals.promptTokens;
      total.completionTokens += totals.completionTokens;
    }
    return { total, byPurpose };
  }

  private totalsOf(purpose: string): LlmUsageTotals {
    let totals = this.byPurpose.get(purpose);
    if (!totals) {
      totals = empty();
      this.byPurpose.set(purpose, totals);
    }
    return totals;
  }
}
