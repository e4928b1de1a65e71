/**
 * Gathers the items added within `delayMs` of the first one (one turn of the event loop when 0) and
 * hands them to `flush` together, so many concurrent writes become one bulk write; each `add` resolves
 * once its flush has ended (and rejects with it). Items added while a flush runs go to the next one.
 */
export class Coalescer<T> {
  private pending: Array<{ item: T; done: (error?: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly delayMs = 0,
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, done: (error) => (error === undefined ? resolve() : reject(error as Error)) });
      if (!this.scheduled) {
        this.scheduled = true;
        if (this.delayMs > 0) setTimeout(() => void this.run(), this.delayMs);
        else setImmediate(() => void this.run());
      }
    });
  }

  private async run(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.scheduled = false;
    try {
      await this.flush(batch.map((b) => b.item));
      for (const b of batch) b.done();
    } catch (error) {
      for (const b of batch) b.done(error ?? new Error('flush failed'));
    }
  }
}
