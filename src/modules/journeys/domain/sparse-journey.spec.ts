import { buildJourneysFromExtracted } from './build-journeys';
import { DEFAULT_JOURNEY_PARAMS } from './journey-params';
import { extractEventKeywords } from './keywords';
import { FIXTURE_NOW, trainFixtureEmbedder } from './testing/platform.fixture';

const DAY = 86_400_000;
const embedder = trainFixtureEmbedder();

function searches(queries: string[]) {
  return queries.map((query, i) =>
    extractEventKeywords({ type: 'search', occurredAt: new Date(FIXTURE_NOW.getTime() - (i + 1) * 9 * DAY), query }),
  );
}

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
});
