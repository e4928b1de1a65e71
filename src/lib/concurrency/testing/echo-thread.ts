import { resourceLimits } from 'node:worker_threads';
import { serveTasks } from '../worker-pool';

/**
 * A {@link WorkerPool} thread for tests: echoes, fails a task, waits, ends the thread as a crash would, or
 * tells the engine limits it runs under.
 */
serveTasks(async (message) => {
  const m = message as { kind: 'echo' | 'throw' | 'wait' | 'exit' | 'limits'; value?: unknown; ms?: number };
  if (m.kind === 'limits') return { result: resourceLimits };
  if (m.kind === 'throw') throw new Error(`refused ${String(m.value)}`);
  if (m.kind === 'exit') process.exit(3);
  if (m.kind === 'wait') await new Promise((resolve) => setTimeout(resolve, m.ms));
  return { result: m.value };
});
