import { buildJourneysFromExtracted } from './build-journeys';
import { DEFAULT_JOURNEY_PARAMS } from './journey-params';
import { extractEventKeywords } from './keywords';
import { FIXTURE_NOW, trainFixtureEmbedder } from './testing/platform.fixture';

const DAY = 86_400_000;
const embedder = trainFixtureEmbedder();

function searches(queries: string[], spacingDays = 9, startDays = 0) {
  return queries.map((query, i) =>
    extractEventKeywords({
      type: 'search',
      occurredAt: new Date(FIXTURE_NOW.getTime() - (startDays + (i + 1) * spacingDays) * DAY),
      query,
    }),
  );
}

const finishedProject = () => [
  ...searches(
    Array.from({ length: 6 }, () => 'sourdough starter'),
    1,
    60,
  ),
  ...searches(
    Array.from({ length: 4 }, () => 'bread scoring'),
    1,
    60,
  ),
];

describe('a sparse user', () => {
  it('gets one thin journey of their strongest keywords, labelled as such, rather than nothing', () => {
    const events = searches(['ceramic glaze recipes', 'pottery wheel', 'tide tables', 'ceramic glaze', 'kiln']);
    const journeys = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder });
    expect(journeys).toHaveLength(1);
    const [journey] = journeys;
    expect(journey.basis).toBe('strongest-keywords');
    expect(journey.confidence).toBeLessThanOrEqual(DEFAULT_JOURNEY_PARAMS.sparseMaxConfidence);
    expect(journey.keywords.length).toBeGreaterThan(0);
    expect(journey.keywords.length).toBeLessThanOrEqual(DEFAULT_JOURNEY_PARAMS.sparseMaxKeywords);
    // The keyword used twice leads, and names the journey.
    expect(journey.keywords[0].text).toBe('ceramic glaze');
    expect(journey.name).toBe('Ceramic Glaze');
    expect(journey.engagement.events).toBeGreaterThanOrEqual(2);
  });

  it('below the minimum number of events, gets none', () => {
    const events = searches(['ceramic glaze', 'kiln']);
    expect(buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder })).toEqual([]);
  });

  it('is not given a thin journey next to real ones', () => {
    const events = searches([
      ...Array.from({ length: 6 }, () => 'sourdough starter'),
      ...Array.from({ length: 4 }, () => 'bread scoring'),
    ]);
    const journeys = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder });
    expect(journeys.length).toBeGreaterThan(0);
    expect(journeys.every((j) => j.basis === 'cluster')).toBe(true);
  });

  it('who is active again after every journey ended gets a thin ongoing journey of the new activity', () => {
    const events = [...finishedProject(), ...searches(['tide tables', 'kiln', 'tide charts'], 1)];
    const journeys = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder });
    const thin = journeys.filter((j) => j.basis === 'strongest-keywords');
    expect(thin).toHaveLength(1);
    expect(thin[0].stage).toBe('ongoing');
    expect(thin[0].keywords.map((k) => k.text)).toEqual(['tide']);
    expect(thin[0].engagement.events).toBe(2);
    const ended = journeys.filter((j) => j.basis === 'cluster');
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((j) => j.stage === 'ended')).toBe(true);
  });

  it('whose journeys all ended, with no activity since, gets no thin journey beside them', () => {
    const journeys = buildJourneysFromExtracted('u', finishedProject(), { now: FIXTURE_NOW, embedder });
    expect(journeys.length).toBeGreaterThan(0);
    expect(journeys.every((j) => j.basis === 'cluster' && j.stage === 'ended')).toBe(true);
  });
});
