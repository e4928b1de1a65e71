import { NotificationLifecycle } from '../../delivery/notification-lifecycle';
import type { CampaignRunRepository } from './campaign-run.repository';
import type { CampaignRunRecord } from './campaign-run.schema';
import type { RunState } from './domain/run-state';
import type { ErasedDuringFanOut } from './fan-out-erasures';
import type { RunCompletion } from './run-completion';
import { RunHooks } from './run-hooks';

/** A run store holding one run, counting its reads; `hold` keeps the next read's answer until released. */
class FakeRuns {
  run = { runId: 'r1', state: 'paused' as RunState, generation: 0, definition: { frequencyCaps: [] } };
  reads = 0;
  private held?: Promise<void>;

  hold(): () => void {
    let release!: () => void;
    this.held = new Promise((r) => (release = r));
    return release;
  }

  async findById(): Promise<CampaignRunRecord> {
    this.reads++;
    const answer = { ...this.run } as unknown as CampaignRunRecord;
    const held = this.held;
    this.held = undefined;
    if (held) await held;
    return answer;
  }
}

describe(RunHooks.name, () => {
  let runs: FakeRuns;
  let hooks: RunHooks;

  beforeEach(() => {
    runs = new FakeRuns();
    hooks = new RunHooks(
      new NotificationLifecycle(),
      runs as unknown as CampaignRunRepository,
      {} as unknown as RunCompletion,
      {} as unknown as ErasedDuringFanOut,
    );
  });

  it('answers jobs of the generation it read from memory', async () => {
    expect(await hooks.gate('r1', 0)).toBe('paused');
    runs.run = { ...runs.run, state: 'running' };
    expect(await hooks.gate('r1', 0)).toBe('paused');
    expect(await hooks.gate('r1')).toBe('paused');
    expect(runs.reads).toBe(1);
  });

  it('reads the run again for a job of a newer generation (a resume or cancel since)', async () => {
    expect(await hooks.gate('r1', 0)).toBe('paused');
    runs.run = { ...runs.run, state: 'running', generation: 1 };
    expect(await hooks.gate('r1', 1)).toBe('open');
    expect(await hooks.gate('r1', 1)).toBe('open');
    runs.run = { ...runs.run, state: 'cancelled', generation: 2 };
    expect(await hooks.gate('r1', 2)).toBe('cancelled');
    expect(runs.reads).toBe(3);
  });

  it('keeps a newer read over an older one answered late', async () => {
    const release = runs.hold();
    const late = hooks.gate('r1', 0);
    runs.run = { ...runs.run, state: 'running', generation: 1 };
    expect(await hooks.gate('r1', 1)).toBe('open');
    release();
    expect(await late).toBe('paused');
    expect(await hooks.gate('r1', 1)).toBe('open');
    expect(await hooks.gate('r1', 0)).toBe('open');
    expect(runs.reads).toBe(2);
  });

  it('answers the jobs that ask while a read is under way from that read', async () => {
    const release = runs.hold();
    const asked = [hooks.gate('r1', 0), hooks.gate('r1', 0), hooks.gate('r1')];
    release();
    expect(await Promise.all(asked)).toEqual(['paused', 'paused', 'paused']);
    expect(runs.reads).toBe(1);
  });

  it('reads again for a job of a newer generation than the read under way', async () => {
    expect(await hooks.gate('r1', 0)).toBe('paused');
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 2000);
    try {
      const release = runs.hold();
      const stale = hooks.gate('r1', 0);
      runs.run = { ...runs.run, state: 'running', generation: 1 };
      const resumed = hooks.gate('r1', 1);
      release();
      expect(await stale).toBe('paused');
      expect(await resumed).toBe('open');
      expect(runs.reads).toBe(3);
    } finally {
      clock.mockRestore();
    }
  });
});
