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

  private sweepSafely(): void {
    if (!this.enabled()) return;
    try {
      this.sweep(new Date());
    } catch (error) {
      this.log(`TTL sweep failed: ${(error as Error).message}`);
    }
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
