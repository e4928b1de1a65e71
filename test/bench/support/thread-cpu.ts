import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds of each thread of this process by thread id (Linux, from /proc; clock ticks of 10 ms), empty
 * elsewhere. Unlike the wall clock it does not count the time other processes held the cores, so on a shared
 * machine the busiest thread's CPU time is the best estimate of what a parallel run would take alone.
 */
export function threadCpuSeconds(): Map<string, number> {
  const threads = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    threads.clear();
  }
  return threads;
}

/** The main thread's CPU seconds (it leaves out the garbage collector's helper threads), or undefined off Linux. */
export function mainThreadCpuSeconds(): number | undefined {
  return threadCpuSeconds().get(String(process.pid));
}

/**
 * Samples every thread's CPU time while `work` runs, so that threads which end before it returns (worker
 * threads) are counted too, to within one sampling interval. Returns the CPU seconds each thread used,
 * busiest first.
 */
export async function perThreadCpu<T>(work: () => Promise<T>, everyMs = 50): Promise<{ result: T; seconds: number[] }> {
  const before = threadCpuSeconds();
  const last = new Map(before);
  const sample = () => threadCpuSeconds().forEach((seconds, tid) => last.set(tid, seconds));
  const timer = setInterval(sample, everyMs);
  try {
    const result = await work();
    sample();
    const seconds = [...last].map(([tid, s]) => s - (before.get(tid) ?? 0)).sort((a, b) => b - a);
    return { result, seconds };
  } finally {
    clearInterval(timer);
  }
}

/** CPU seconds another process has used so far (Linux, from /proc; clock ticks of 10 ms), or undefined. */
export function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
