import { runWaitingOf } from './run-waiting';

describe('runWaitingOf', () => {
  const at = new Date('2026-12-06T06:00:00Z');
  const nine = new Date('2026-12-06T09:00:00Z');
  const ten = new Date('2026-12-06T10:00:00Z');

  it('sums the groups into queued, and counts a local-hour run’s later messages as waiting for their send time', () => {
    const rows = [
      { kind: 'dueNow', n: 2 },
      { kind: 'localSend', n: 1, earliest: ten, latest: ten },
      { kind: 'later', n: 3, earliest: nine, latest: nine },
    ];
    expect(runWaitingOf(rows, { state: 'running', localHour: true, pending: 0 }, at)).toEqual({
      at,
      queued: 6,
      dueNow: 2,
      localSend: { count: 4, earliest: nine, latest: ten },
    });
    expect(runWaitingOf(rows, { state: 'running', localHour: false, pending: 0 }, at)).toMatchObject({
      localSend: { count: 1 },
      later: { count: 3 },
    });
  });

  it('says a paused run holds its queued messages and its pending users', () => {
    const pending = { n: 4, earliest: nine, latest: ten };
    const waiting = runWaitingOf(
      [{ kind: 'dueNow', n: 1 }],
      { state: 'paused', localHour: true, pending: 4 },
      at,
      pending,
    );
    expect(waiting).toMatchObject({ runPaused: 5, dueNow: 1, pendingSendTime: { count: 4, earliest: nine } });
  });
});
