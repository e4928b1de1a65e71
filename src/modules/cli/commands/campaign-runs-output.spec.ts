import type { RunView } from '../../campaigns/runs/campaign-runs.service';
import type { RunWaiting } from '../../campaigns/runs/domain/run-waiting';
import { suppressedText, waitingLines, waitsPast } from './campaign-runs-output';

describe('suppressedText', () => {
  it('gives the total, then each reason with its count, largest first', () => {
    expect(suppressedText({ consent: 2, 'frequency-cap': 298 })).toBe('300 (frequency-cap 298, consent 2)');
    expect(suppressedText({ category: 1, consent: 1 })).toBe('2 (category 1, consent 1)');
  });

  it('says 0 when nothing was suppressed', () => {
    expect(suppressedText({})).toBe('0');
    expect(suppressedText({ consent: 0 })).toBe('0');
  });
});

describe('what a run waits for', () => {
  const at = new Date('2026-12-06T06:00:00Z');
  const t = (iso: string) => new Date(`2026-12-06T${iso}:00.000Z`);
  const counts = { audience: 5, pending: 0, heldOut: 0, eligible: 5, suppressed: {}, queued: 5 };
  const run = (extra: Partial<RunView>, waiting: Partial<RunWaiting> = {}): RunView =>
    ({
      runId: 'r',
      state: 'running',
      selectionDone: true,
      counts: { ...counts, sending: 0, sent: 0, failed: 0, errors: 0 },
      waiting: { at, queued: 5, dueNow: 0, ...waiting },
      ...extra,
    }) as RunView;
  const quiet = { count: 3, earliest: t('10:00'), latest: t('12:00') };
  const retry = { count: 2, earliest: t('09:30'), latest: t('09:30') };

  it('gives one line for the queued messages, each reason with its count and when its waits end', () => {
    expect(waitingLines(run({}, { dueNow: 1, quietHours: quiet, retry }).waiting)).toEqual([
      '5 queued: due now 1; quiet hours 3, ends 2026-12-06T10:00:00.000Z to 2026-12-06T12:00:00.000Z; ' +
        'retry backoff 2, ends 2026-12-06T09:30:00.000Z',
    ]);
    const paused = run({ state: 'paused' }, { runPaused: 5, localSend: quiet });
    expect(waitingLines(paused.waiting)[0]).toBe('run paused: 5 wait until it is resumed');
    expect(waitingLines(undefined)).toEqual([]);
  });

  it('finds when everything left waits past the deadline, and only then', () => {
    const deadline = t('08:00');
    expect(waitsPast(run({}, { quietHours: quiet, retry }), deadline)).toEqual(t('09:30'));
    expect(waitsPast(run({}, { quietHours: quiet, retry }), t('09:45'))).toBeUndefined();
    expect(waitsPast(run({}, { dueNow: 1, quietHours: quiet, retry }), deadline)).toBeUndefined();
    expect(waitsPast(run({ state: 'paused' }, { quietHours: quiet, retry }), deadline)).toBeUndefined();
    expect(waitsPast(run({ selectionDone: false }, { quietHours: quiet, retry }), deadline)).toBeUndefined();
  });
});
