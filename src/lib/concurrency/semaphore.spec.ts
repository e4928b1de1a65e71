import { Semaphore } from './semaphore';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe(Semaphore.name, () => {
  it('never runs more than the limit at once and keeps FIFO order', async () => {
    const sut = new Semaphore(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    let peak = 0;
    const runs = gates.map((gate, i) =>
      sut.run(async () => {
        started.push(i);
        peak = Math.max(peak, sut.inFlight);
        await gate.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(sut.queued).toBe(2);
    gates[1].resolve();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    gates.forEach((g) => g.resolve());
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3]);
    expect(peak).toBe(2);
    expect(sut.inFlight).toBe(0);
  });

  it('releases the slot when a task throws', async () => {
    const sut = new Semaphore(1);
    await expect(sut.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(sut.run(() => Promise.resolve('next'))).resolves.toBe('next');
    expect(sut.inFlight).toBe(0);
  });

  it.each([0, -1, 1.5])('rejects a limit of %p', (limit) => {
    expect(() => new Semaphore(limit)).toThrow(RangeError);
  });
});
