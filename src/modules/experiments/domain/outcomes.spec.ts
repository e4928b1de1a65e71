import { metricsMovedBy, statsIncrement, utcDay, windowStarts, withinWindow } from './outcomes';
import { statsOfValues } from './statistics/sufficient-stats';

describe('outcome attribution rules', () => {
  it.each([
    ['open', 'push', false, ['push-open-rate']],
    ['open', 'email', false, ['email-open-rate', 'email-open-rate-human']],
    ['open', 'email', true, ['email-open-rate']],
    ['click', 'email', false, ['click-rate']],
    ['conversion', 'push', false, ['conversion-rate', 'conversions-per-user']],
    ['unsubscribe', 'push', false, ['unsubscribe-rate']],
  ] as const)('%s on %s (machine %s) moves %j', (kind, channel, machine, metrics) => {
    expect(metricsMovedBy(kind, channel, machine)).toEqual(metrics);
  });

  it('keeps Σy and Σy² of counts equal to those of the final per-user values, one outcome at a time', () => {
    const finals = [0, 1, 4, 2, 7, 1];
    let sum = 0;
    let sumSquares = 0;
    for (const final of finals) {
      for (let k = 1; k <= final; k++) {
        const step = statsIncrement('conversions-per-user', k);
        sum += step.sum;
        sumSquares += step.sumSquares;
      }
    }
    expect({ n: finals.length, sum, sumSquares }).toEqual(statsOfValues(finals));
    expect(statsIncrement('click-rate', 1)).toEqual({ sum: 1, sumSquares: 1 });
  });

  it('attributes within the window after any exposure, bounds included', () => {
    const h = (hours: number) => new Date(Date.UTC(2026, 2, 2) + hours * 3_600_000);
    const exposures = [h(0), h(100)];
    expect([-1, 0, 72, 73, 99, 100, 172, 173].map((t) => withinWindow(exposures, h(t), 72))).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(utcDay(h(23.99))).toBe('2026-03-02');
  });

  it('opens windows for conversions at decisions only, which every arm has, and for engagements at deliveries too', () => {
    const h = (hours: number) => new Date(Date.UTC(2026, 2, 2) + hours * 3_600_000);
    // Decided at 0 and 48, delivered at 20 (held until quiet hours ended).
    const times = { assignedAt: h(0), decisions: [h(0), h(48)], exposures: [h(0), h(20), h(48)] };
    expect(windowStarts('open', times)).toEqual(times.exposures);
    expect(windowStarts('conversion', times)).toEqual([h(0), h(0), h(48)]);
    // A record kept before decisions were kept apart: its exposures, as then.
    expect(windowStarts('conversion', { assignedAt: h(0), exposures: [h(0), h(20)] })).toEqual([h(0), h(20)]);
  });
});
