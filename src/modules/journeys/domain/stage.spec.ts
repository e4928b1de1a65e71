import { DEFAULT_JOURNEY_PARAMS } from './journey-params';
import { cadenceDays, classifyStage } from './stage';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-01T12:00:00Z');
/** Timestamps on the given days before NOW, ascending. */
const daysAgo = (...days: number[]) => days.sort((a, b) => b - a).map((d) => NOW - d * DAY);
const every = (from: number, to: number, step: number) =>
  Array.from({ length: Math.floor((from - to) / step) + 1 }, (_, i) => from - i * step);

describe('classifyStage', () => {
  it.each<[string, number[], string, string]>([
    ['weekly for six months, active this week', daysAgo(...every(180, 2, 7)), 'evergreen', 'ongoing'],
    ['a three-week burst ending yesterday', daysAgo(...every(21, 1, 2)), 'situational', 'ongoing'],
    ['a three-week burst two months ago', daysAgo(...every(81, 60, 2)), 'situational', 'ended'],
    [
      'a burst long ago and one visit now (a long silence, not a habit)',
      daysAgo(200, 199, 198, 197, 1),
      'situational',
      'ongoing',
    ],
    ['monthly for a year, quiet for five months', daysAgo(...every(500, 150, 30)), 'evergreen', 'ended'],
    ['a single day today', daysAgo(0, 0), 'situational', 'ongoing'],
    ['a slow project (every 17 days) silent for six weeks', daysAgo(80, 62, 45), 'situational', 'ended'],
  ])('%s', (_case, timestamps, type, stage) => {
    expect(classifyStage(timestamps, NOW, DEFAULT_JOURNEY_PARAMS)).toEqual({ type, stage });
  });

  it('ends a slow situational journey later than a fast one (cadence-relative)', () => {
    const slow = daysAgo(60, 50, 40, 30, 20);
    const fast = daysAgo(22, 21, 20);
    expect(classifyStage(slow, NOW, DEFAULT_JOURNEY_PARAMS).stage).toBe('ongoing');
    expect(classifyStage(fast, NOW, DEFAULT_JOURNEY_PARAMS).stage).toBe('ended');
  });

  it('treats no engagement as ended', () => {
    expect(classifyStage([], NOW, DEFAULT_JOURNEY_PARAMS)).toEqual({ type: 'situational', stage: 'ended' });
  });
});

describe('cadenceDays', () => {
  it('is the median gap between active days', () => {
    expect(cadenceDays(daysAgo(10, 8, 7, 1))).toBe(2);
    expect(cadenceDays(daysAgo(3, 3))).toBe(0);
  });
});
