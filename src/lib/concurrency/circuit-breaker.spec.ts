import { BreakerState, CircuitBreaker, CircuitRestingError } from './circuit-breaker';

const fail = () => Promise.reject(new Error('overloaded'));
const succeed = () => Promise.resolve('ok');

function breaker(failuresBeforeRest = 3) {
  const clock = { ms: 0 };
  const changes: Array<[BreakerState, BreakerState]> = [];
  const sut = new CircuitBreaker({
    failuresBeforeRest,
    restMs: 60_000,
    now: () => clock.ms,
    onChange: (state, previous) => changes.push([previous, state]),
  });
  return { sut, clock, changes };
}

describe(CircuitBreaker.name, () => {
  it('rests after the failures in a row, without running the task, until the rest is over', async () => {
    const { sut, clock, changes } = breaker(3);
    let runs = 0;
    const task = () => ((runs += 1), fail());
    for (let i = 0; i < 3; i++) await expect(sut.run(task)).rejects.toThrow('overloaded');
    expect(sut.state).toBe('open');
    await expect(sut.run(task)).rejects.toBeInstanceOf(CircuitRestingError);
    clock.ms = 59_999;
    await expect(sut.run(task)).rejects.toBeInstanceOf(CircuitRestingError);
    expect(runs).toBe(3);
    expect(changes).toEqual([['closed', 'open']]);
  });

  it('rests at once for the time a call asks, and keeps that rest when the call was the trial one', async () => {
    const { sut, clock, changes } = breaker(3);
    const asking = () => (sut.restFor(300_000), fail());
    await expect(sut.run(asking)).rejects.toThrow('overloaded');
    clock.ms = 299_999;
    await expect(sut.run(succeed)).rejects.toBeInstanceOf(CircuitRestingError);
    clock.ms = 300_000;
    // The trial call asks again: its failure does not shorten that rest to the breaker's own.
    await expect(sut.run(asking)).rejects.toThrow('overloaded');
    clock.ms = 599_999;
    await expect(sut.run(succeed)).rejects.toBeInstanceOf(CircuitRestingError);
    clock.ms = 600_000;
    await expect(sut.run(succeed)).resolves.toBe('ok');
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('lets one trial call through after the rest: its success closes the breaker', async () => {
    const { sut, clock, changes } = breaker(1);
    await expect(sut.run(fail)).rejects.toThrow();
    clock.ms = 60_000;
    let release!: () => void;
    const trial = sut.run(() => new Promise<string>((resolve) => (release = () => resolve('ok'))));
    expect(sut.state).toBe('half-open');
    await expect(sut.run(succeed)).rejects.toBeInstanceOf(CircuitRestingError);
    release();
    await expect(trial).resolves.toBe('ok');
    await expect(sut.run(succeed)).resolves.toBe('ok');
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });

  it('rests again for a whole period when the trial fails', async () => {
    const { sut, clock } = breaker(2);
    await expect(sut.run(fail)).rejects.toThrow();
    await expect(sut.run(fail)).rejects.toThrow();
    clock.ms = 60_000;
    await expect(sut.run(fail)).rejects.toThrow('overloaded');
    expect(sut.state).toBe('open');
    clock.ms = 119_999;
    expect(sut.resting).toBe(true);
    clock.ms = 120_000;
    expect(sut.resting).toBe(false);
  });

  it('starts the count again after a success', async () => {
    const { sut } = breaker(2);
    await expect(sut.run(fail)).rejects.toThrow();
    await sut.run(succeed);
    await expect(sut.run(fail)).rejects.toThrow();
    expect(sut.state).toBe('closed');
  });

  it('counts errors that are no failure as successes', async () => {
    const { sut } = breaker(1);
    const verdict = new Error('refused');
    await expect(
      sut.run(
        () => Promise.reject(verdict),
        (e) => e !== verdict,
      ),
    ).rejects.toBe(verdict);
    expect(sut.state).toBe('closed');
  });

  it('runs a failing task at most the failures before a rest however many callers run at once', async () => {
    const { sut } = breaker(3);
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await new Promise((r) => setImmediate(r));
      throw new Error('overloaded');
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => sut.run(slow)));
    expect(runs).toBe(3);
    expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof CircuitRestingError)).toHaveLength(17);
  });

  it('once a call succeeded, runs concurrent calls without waiting for each other', async () => {
    const { sut } = breaker(1);
    await sut.run(succeed);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 5 }, () => sut.run(task)));
    expect(peak).toBe(5);
  });
});
