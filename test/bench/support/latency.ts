import { monitorEventLoopDelay } from 'node:perf_hooks';

/** The value below which `share` of the samples fall (nearest rank). */
export function percentile(samples: number[], share: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];
}

export interface LoadResult {
  seconds: number;
  /** Milliseconds of each request, in completion order. */
  latencies: number[];
  /** Longest event-loop pause of this process while the load ran (ms). */
  maxLoopDelayMs: number;
  /** Slowest answer of a /health ping sent every 100 ms from another client while the load ran (ms). */
  maxPingMs: number;
}

/**
 * Runs `clients` concurrent loops that take work items until none are left, timing each with
 * `send`; meanwhile samples event-loop delay and, when `ping` is given, pings every 100 ms.
 */
export async function runLoad<T>(
  items: T[],
  clients: number,
  send: (item: T) => Promise<void>,
  ping?: () => Promise<void>,
): Promise<LoadResult> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const latencies: number[] = [];
  let maxPingMs = 0;
  let done = false;
  const pinger = (async () => {
    while (ping && !done) {
      const started = performance.now();
      await ping();
      maxPingMs = Math.max(maxPingMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  loop.enable();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < items.length) {
        const item = items[next++];
        const sent = performance.now();
        await send(item);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  done = true;
  loop.disable();
  await pinger;
  return { seconds, latencies, maxLoopDelayMs: loop.max / 1e6, maxPingMs };
}

/** One line: throughput, p50/p99 latency and the longest stall. */
export function loadLine(label: string, events: number, result: LoadResult): string {
  const ms = (value: number) => `${value.toFixed(0).padStart(6)} ms`;
  const ping = result.maxPingMs > 0 ? `  slowest /health ${ms(result.maxPingMs)}` : '';
  return `${label.padEnd(44)} ${Math.round(events / result.seconds)
    .toString()
    .padStart(7)} events/s  p50 ${ms(percentile(result.latencies, 0.5))}  p99 ${ms(
    percentile(result.latencies, 0.99),
  )}  longest event-loop stall ${ms(result.maxLoopDelayMs)}${ping}`;
}
