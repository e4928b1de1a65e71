/** How far back the answers that decide whether a provider's ambiguous refusals may remove tokens go. */
export const TOKEN_REMOVAL_WINDOW_MS = 15 * 60_000;
/** Ambiguous refusals in the window before their share can stop removals: fewer always remove. */
export const TOKEN_REMOVAL_MIN_REFUSALS = 10;
/** The share of a provider's answers in the window above which ambiguous refusals remove no token. */
export const TOKEN_REMOVAL_MAX_SHARE = 0.2;

/**
 * One provider's recent answers (acceptances and refusals alike) and those among them that refuse a token for a
 * reason our own settings can also cause (APNs BadDeviceToken: a dead token, or a token of the other APNs
 * environment). A few such refusals among many answers are dead tokens; a large share of them is a setting, and
 * removing their tokens would empty every profile. Counted in one-second buckets, so memory stays bounded.
 */
export class TokenRefusalWindow {
  private readonly buckets: Array<{ second: number; answers: number; ambiguous: number }> = [];

  constructor(
    private readonly windowMs = TOKEN_REMOVAL_WINDOW_MS,
    private readonly minRefusals = TOKEN_REMOVAL_MIN_REFUSALS,
    private readonly maxShare = TOKEN_REMOVAL_MAX_SHARE,
  ) {}

  /** Counts one answer at `now`; `ambiguous` when it refused the token for a reason our settings can cause. */
  record(now: number, ambiguous: boolean): void {
    const second = Math.floor(now / 1000);
    let last = this.buckets.at(-1);
    if (!last || last.second !== second) {
      last = { second, answers: 0, ambiguous: 0 };
      this.buckets.push(last);
    }
    last.answers += 1;
    if (ambiguous) last.ambiguous += 1;
    this.prune(now);
  }

  /** The answers and ambiguous refusals within the window ending at `now`. */
  counts(now: number): { answers: number; ambiguous: number } {
    this.prune(now);
    let answers = 0;
    let ambiguous = 0;
    for (const bucket of this.buckets) {
      answers += bucket.answers;
      ambiguous += bucket.ambiguous;
    }
    return { answers, ambiguous };
  }

  /**
   * Whether an ambiguous refusal may remove its token now: not when the window holds at least `minRefusals` of
   * them and they are more than `maxShare` of its answers.
   */
  allowsRemoval(now: number): boolean {
    const { answers, ambiguous } = this.counts(now);
    return ambiguous < this.minRefusals || ambiguous <= this.maxShare * answers;
  }

  private prune(now: number): void {
    const oldest = Math.floor((now - this.windowMs) / 1000);
    while (this.buckets.length > 0 && this.buckets[0].second <= oldest) this.buckets.shift();
  }
}
