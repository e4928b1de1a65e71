import { stageAt } from '../../../journeys/domain/stage';
import { extractFeatures, featureRecord, summariseUser } from '../../../ranking/domain';
import { makeJourney } from '../../../ranking/domain/testing/journeys.fixture';
import { rankingExampleOf } from './ranking-example';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('rankingExampleOf', () => {
  // Built as ongoing, but the user has left it alone for months since: ended when the message is composed.
  const stale = makeJourney(NOW, { id: 'kitchen', name: 'kitchen renovation', ageDays: [200, 210, 220] });
  const live = makeJourney(NOW, { id: 'garden', name: 'garden design', ageDays: [1, 2, 5] });
  const journeys = [stale, live];

  it('logs the features the ranker scored the message with, the stage as of the message included', () => {
    expect(stageAt(stale, NOW.getTime())).toBe('ended');
    const example = rankingExampleOf(journeys, { kind: 'journey', id: 'kitchen', name: 'kitchen renovation' }, NOW)!;
    const scored = journeys.map((j) => ({ ...j, stage: stageAt(j, NOW.getTime()) }));
    expect(example.features.stage_ongoing).toBe(0);
    expect(example.features).toEqual(featureRecord(extractFeatures(scored[0], summariseUser(scored), NOW)));
    expect(
      rankingExampleOf(journeys, { kind: 'journey', id: 'garden', name: 'garden design' }, NOW)!.features.stage_ongoing,
    ).toBe(1);
  });

  it('logs the fatigue the ranker scored from the notifications about the journey the user ignored', () => {
    const ignored = [4, 5].map((days) => ({
      userId: 'u',
      journeyId: 'garden',
      journeyName: 'garden design',
      sentAt: new Date(NOW.getTime() - days * 86_400_000),
    }));
    const subject = { kind: 'journey' as const, id: 'garden', name: 'garden design' };
    const rested = rankingExampleOf(journeys, subject, NOW)!.features;
    const tired = rankingExampleOf(journeys, subject, NOW, ignored)!.features;
    expect([rested.fatigue_sent_7d_log, rested.fatigue_ignored_streak_log]).toEqual([0, 0]);
    expect(tired.fatigue_sent_7d_log).toBeCloseTo(Math.log1p(2));
    expect(tired.fatigue_ignored_streak_log).toBeCloseTo(Math.log1p(2));
    expect(tired.fatigue_engaged_rate).toBeCloseTo(1 / 4);
  });

  it('logs nothing for an interest message or a journey the user no longer has', () => {
    expect(rankingExampleOf(journeys, { kind: 'interest', id: 'kitchen', name: 'kitchen' }, NOW)).toBeUndefined();
    expect(rankingExampleOf(journeys, { kind: 'journey', id: 'gone', name: 'gone' }, NOW)).toBeUndefined();
  });
});
