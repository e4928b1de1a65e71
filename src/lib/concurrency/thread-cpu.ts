import { readFileSync } from 'node:fs';

/**
 * CPU seconds the calling thread has used (Linux `/proc/thread-self`, ticks of 10 ms), or undefined
 * elsewhere. Process-wide counters mix the threads; this one tells a worker thread's phases apart.
 */
export function ownThreadCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
