/**
 * Long reads are written as generators that `yield` wherever they may pause. The same code runs to
 * completion synchronously (writes, which must be atomic) or cooperatively, giving the event loop
 * back every few milliseconds so that other connections are served while a large scan or
 * aggregation runs.
 */
export type Steps<T> = Generator<void, T, void>;

/** How long a command runs before it lets other work in. */
const SLICE_MS = 4;

/** Runs steps to the end without pausing. */
export function complete<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs steps for one slice of time: returns the result at once when they finish within it (the
 * common, small command pays no promise), else a promise that goes on in slices, pausing with
 * setImmediate in between.
 */
export function drive<T>(steps: Steps<T>): T | Promise<T> {
  const started = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - started >= SLICE_MS) return driveLater(steps);
  }
}

async function driveLater<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const started = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - started >= SLICE_MS) break;
    }
  }
}

/** Applies `then` to a value that may still be coming. */
export function whenReady<T, R>(value: T | Promise<T>, then: (value: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** Sorts in runs of a few thousand, then merges them, with pause points in between. */
export function* sortSteps<T>(items: T[], compare: (a: T, b: T) => number): Steps<T[]> {
  const RUN = 2048;
  if (items.length <= RUN) return items.slice().sort(compare);
  let runs: T[][] = [];
  for (let i = 0; i < items.length; i += RUN) {
    runs.push(items.slice(i, i + RUN).sort(compare));
    yield;
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let r = 0; r < runs.length; r += 2) {
      if (r + 1 === runs.length) {
        merged.push(runs[r]);
        continue;
      }
      const [a, b] = [runs[r], runs[r + 1]];
      const out: T[] = new Array<T>(a.length + b.length);
      let i = 0;
      let j = 0;
      let k = 0;
      // Ties take from the earlier run, which keeps the sort stable.
      while (i < a.length && j < b.length) {
        out[k++] = compare(b[j], a[i]) < 0 ? b[j++] : a[i++];
        if ((k & 4095) === 0) yield;
      }
      while (i < a.length) out[k++] = a[i++];
      while (j < b.length) out[k++] = b[j++];
      merged.push(out);
    }
    runs = merged;
  }
  return runs[0];
}
