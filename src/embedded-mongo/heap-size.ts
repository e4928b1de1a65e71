import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/**
 * The old-generation size (`--max-old-space-size`, in MB) for a process that runs the embedded server
 * on its own: half the machine's memory, never less than Node's own limit. The server's heap is its
 * data, so it grows with the store; V8 collects ever more often as the heap nears its limit (Node's
 * default is about 4 GB however large the machine), which would make every write slower long before
 * memory runs out.
 */
export function databaseHeapMegabytes(): number {
  const half = Math.floor(totalmem() / 2 / 1024 / 1024);
  return Math.max(half, Math.floor(getHeapStatistics().heap_size_limit / 1024 / 1024));
}
