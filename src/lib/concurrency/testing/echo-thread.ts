import { serveTasks } from '../worker-pool';

/** A {@link WorkerPool} thread for tests: echoes, fails a task, waits, or ends the thread as a crash would. */
serveTasks(async (message) => {
  const m = message as { kind: 'echo' | 'throw' | 'wait' | 'exit'; value?: unknown; ms?: number };
  if (m.kind === 'throw') throw new Error(`refused ${String(m.value)}`);
  if (m.kind === 'exit') process.exit(3);
  if (m.kind === 'wait') await new Promise((resolve) => setTimeout(resolve, m.ms));
  return { result: m.value };
});
