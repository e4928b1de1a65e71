import { DEFAULT_JOURNEY_PARAMS } from './journey-params';
import { cadenceDays, classifyStage, expectedLongestGapShare, stageAt } from './stage';

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
    [
      'two visits four months apart, the last this week (a returning interest)',
      daysAgo(125, 3),
      'evergreen',
      'ongoing',
    ],
    ['three visits over five months, unevenly spaced', daysAgo(150, 40, 2), 'evergreen', 'ongoing'],
    ['two visits a month apart (too short a span to recur)', daysAgo(35, 3), 'situational', 'ongoing'],
    [
      'a two-week burst long ago and one visit now (silence that chance would not leave)',
      daysAgo(200, 198, 196, 194, 192, 190, 188, 1),
      'situational',
      'ongoing',
    ],
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

describe('stageAt', () => {
  it.each<[string, number[]]>([
    ['a three-week burst ending yesterday', daysAgo(...every(21, 1, 2))],
    ['weekly for six months, active this week', daysAgo(...every(180, 2, 7))],
  ])('reads %s as classifyStage would at any later instant', (_, timestamps) => {
    const built = classifyStage(timestamps, NOW, DEFAULT_JOURNEY_PARAMS);
    const journey = { ...built, engagement: { lastSeen: new Date(timestamps[timestamps.length - 1]), timestamps } };
    for (const laterDays of [0, 10, 20, 40, 100, 400]) {
      const later = NOW + laterDays * DAY;
      expect([laterDays, stageAt(journey, later)]).toEqual([
        laterDays,
        classifyStage(timestamps, later, DEFAULT_JOURNEY_PARAMS).stage,
      ]);
    }
  });
});

describe('expectedLongestGapShare', () => {
  it('is the mean longest of the gaps that visits at random times leave (H(m)/m)', () => {
    expect(expectedLongestGapShare(1)).toBe(1);
    expect(expectedLongestGapShare(2)).toBe(1);
    expect(expectedLongestGapShare(3)).toBeCloseTo(0.75, 10);
    expect(expectedLongestGapShare(4)).toBeCloseTo(11 / 18, 10);
    expect(expectedLongestGapShare(9)).toBeLessThan(0.6);
  });
});

describe('cadenceDays', () => {
  it('is the median gap between active days', () => {
    expect(cadenceDays(daysAgo(10, 8, 7, 1))).toBe(2);
    expect(cadenceDays(daysAgo(3, 3))).toBe(0);
  });
});
