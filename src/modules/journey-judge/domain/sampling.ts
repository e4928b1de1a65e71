import { createHash } from 'node:crypto';

/**
 * A deterministic sample of n ids from a stream of any length, in constant memory: the n ids with the
 * smallest hash of (seed, id). The same seed picks the same users on every run that contains them, so a
 * re-run costs nothing (its grades are cached) and consecutive runs are judged on largely the same users.
 */
export class SeededSample {
  private readonly kept: Array<{ rank: string; id: string }> = [];

  constructor(
    private readonly size: number,
    private readonly seed: string,
  ) {}

  offer(id: string): void {
    const rank = createHash('sha256').update(`${this.seed}\u0000${id}`).digest('hex').slice(0, 16);
    if (this.kept.length >= this.size && rank >= this.kept[this.kept.length - 1].rank) return;
    let at = this.kept.length;
    while (at > 0 && this.kept[at - 1].rank > rank) at--;
    this.kept.splice(at, 0, { rank, id });
    if (this.kept.length > this.size) this.kept.pop();
  }

  /** The sampled ids, in sample order (by hash): any prefix is itself a sample of that size. */
  ids(): string[] {
    return this.kept.map((k) => k.id);
  }
}
