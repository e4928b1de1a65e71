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

  it('logs nothing for an interest message or a journey the user no longer has', () => {
    expect(rankingExampleOf(journeys, { kind: 'interest', id: 'kitchen', name: 'kitchen' }, NOW)).toBeUndefined();
    expect(rankingExampleOf(journeys, { kind: 'journey', id: 'gone', name: 'gone' }, NOW)).toBeUndefined();
  });
});
