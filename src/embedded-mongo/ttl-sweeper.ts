import { Doc } from './storage/documents';
import { encodeValue, TypeTag } from './storage/key-encoding';
import { Store } from './storage/store';

const SWEEP_INTERVAL_MS = 1000;

/**
 * Deletes documents whose TTL-indexed date is older than `expireAfterSeconds`. It reads only the
 * expired range of each TTL index (dates sort together), so a sweep costs what it deletes.
 */
export class TtlSweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly commit: () => void,
    private readonly log: (message: string) => void,
    /** The ttlMonitorEnabled server parameter. */
    private readonly enabled: () => boolean = () => true,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.sweepSafely(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Sweeps that failed in a row, and the message last logged for them. */
  private failures = { count: 0, logged: '' };

  /**
   * A sweep that fails (writes refused on a full or failing disk) is tried again every second: its failure
   * is logged when it first happens or changes, and the first sweep that succeeds after it says so.
   */
  private sweepSafely(): void {
    if (!this.enabled()) return;
    try {
      this.sweep(new Date());
    } catch (error) {
      const message = `TTL sweep failed: ${(error as Error).message}`;
      this.failures.count++;
      if (message !== this.failures.logged) this.log(message);
      this.failures.logged = message;
      return;
    }
    if (this.failures.count > 0) this.log(`TTL sweeps succeed again, after ${this.failures.count} that failed`);
    this.failures = { count: 0, logged: '' };
  }

  /** Removes every expired document as of `now`; returns how many were removed. */
  sweep(now: Date): number {
    let removed = 0;
    for (const collections of this.store.databases.values()) {
      for (const collection of collections.values()) {
        for (const index of collection.indexes.values()) {
          if (index.spec.expireAfterSeconds === undefined) continue;
          const cutoff = new Date(now.getTime() - index.spec.expireAfterSeconds * 1000);
          const expired = new Map<string, Doc>();
          const range = index.entries.range(
            { key: TypeTag.date, inclusive: true },
            { key: encodeValue(cutoff), inclusive: false },
          );
          for (const [, id] of range) {
            const doc = expired.has(id) ? undefined : collection.docs.get(id);
            if (doc) expired.set(id, doc);
          }
          for (const doc of expired.values()) this.store.remove(collection, doc);
          removed += expired.size;
        }
      }
    }
    if (removed > 0) this.commit();
    return removed;
  }
}
