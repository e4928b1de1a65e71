import { extname } from 'node:path';
import { parentPort, ResourceLimits, Transferable, Worker } from 'node:worker_threads';

interface Task {
  message: unknown;
  transfer: readonly Transferable[];
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Messages for this thread only (broadcasts), sent before shared tasks. */
  bound: Task[];
  busy?: Task;
}

/**
 * A fixed set of worker threads running one script; each task goes to the next idle thread. The script
 * answers every message with one `{ result }` or `{ error }` message (see `serveTasks`). A `.ts` script
 * (tests, `ts-node`) is loaded through ts-node; built `.js` scripts load directly. Idle threads do not keep
 * the process alive, so a pool left open never holds up its exit.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private failure?: Error;

  /** `resourceLimits` sizes each thread's heap (Node's defaults otherwise). */
  constructor(script: string, size: number, workerData?: unknown, resourceLimits?: ResourceLimits) {
    const execArgv = extname(script) === '.ts' ? ['-r', 'ts-node/register/transpile-only'] : [];
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: new Worker(script, { workerData, execArgv, resourceLimits }), bound: [] };
      slot.worker.on('message', (reply: { result?: unknown; error?: string }) => this.settle(slot, reply));
      slot.worker.on('error', (error) => this.fail(error));
      slot.worker.on('exit', (code) => code !== 0 && this.fail(new Error(`worker thread exited with code ${code}`)));
      // An idle thread does not keep the process alive, one with a task does (see dispatch and settle). After
      // the listeners: adding a message listener refs the thread again.
      slot.worker.unref();
      return slot;
    });
  }

  get size(): number {
    return this.slots.length;
  }

  /** Why the pool stopped (a thread threw outside a task or exited); every task is refused from then on. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Runs one task on the next idle thread; `transfer` lists buffers moved to it rather than copied. */
  run<T>(message: unknown, transfer: readonly Transferable[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ message, transfer, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Sends the same message to every thread, ahead of any task queued after it. */
  broadcast(message: unknown): Promise<unknown[]> {
    return Promise.all(this.slots.map((slot) => this.runOn(slot, message)));
  }

  /** Runs a task on one given thread, in order with the other tasks and broadcasts bound to it. */
  runOnThread<T>(index: number, message: unknown, transfer: readonly Transferable[] = []): Promise<T> {
    return this.runOn(this.slots[index], message, transfer) as Promise<T>;
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private runOn(slot: Slot, message: unknown, transfer: readonly Transferable[] = []): Promise<unknown> {
    // A broadcast must reach each thread in order with its tasks: it waits its turn like a task bound to it.
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      slot.bound.push({ message, transfer, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const task = slot.bound.shift() ?? this.queue.shift();
      if (!task) continue;
      slot.busy = task;
      slot.worker.ref();
      slot.worker.postMessage(task.message, [...task.transfer]);
    }
  }

  private settle(slot: Slot, reply: { result?: unknown; error?: string }): void {
    const task = slot.busy;
    slot.busy = undefined;
    if (task) {
      if (reply.error !== undefined) task.reject(new Error(reply.error));
      else task.resolve(reply.result);
    }
    this.dispatch();
    if (!slot.busy) slot.worker.unref();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const slot of this.slots) {
      for (const task of [slot.busy, ...slot.bound.splice(0)]) task?.reject(error);
      slot.busy = undefined;
    }
    for (const task of this.queue.splice(0)) task.reject(error);
  }
}

/** The thread side of a {@link WorkerPool}: answers each message with the handler's result or its error. */
export function serveTasks(
  handle: (
    message: unknown,
  ) => { result: unknown; transfer?: Transferable[] } | Promise<{ result: unknown; transfer?: Transferable[] }>,
): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs only in a worker thread');
  port.on('message', (message: unknown) => {
    Promise.resolve()
      .then(() => handle(message))
      .then(
        ({ result, transfer }) => port.postMessage({ result }, transfer ?? []),
        (error: unknown) => port.postMessage({ error: error instanceof Error ? error.message : String(error) }),
      );
  });
}
