import { buildJourneysFromExtracted } from './build-journeys';
import { extractEventKeywords } from './keywords';
import { handLexicon } from './testing/keywords.fixture';
import { FIXTURE_NOW, trainFixtureEmbedder } from './testing/platform.fixture';

const DAY = 86_400_000;
const trained = trainFixtureEmbedder();
// The trained vectors without the platform's own lexicon, so each test supplies the statistics it is about.
const embedder = { id: trained.id, dimension: trained.dimension, embed: (key: string) => trained.embed(key) };

function searches(queries: string[]) {
  return queries.map((query, i) =>
    extractEventKeywords({ type: 'search', occurredAt: new Date(FIXTURE_NOW.getTime() - (i + 1) * DAY), query }),
  );
}

const texts = (journeys: ReturnType<typeof buildJourneysFromExtracted>) =>
  journeys.flatMap((j) => [j.name.toLowerCase(), ...j.keywords.map((k) => k.text)]);

describe('names and keywords fit to send', () => {
  it('never names or lists a misspelling: it folds into the form most users write', () => {
    const lex = handLexicon(
      [
        ['retinol serum', 400, 90, 380],
        ['retinol', 500, 120, 200],
        ['serum', 600, 140, 150],
        ['night cream', 300, 80, 290],
      ],
      1000,
    );
    const events = searches([
      'retinol sreum',
      'retinol sreum',
      'retinol sreum',
      'retinol serum',
      'night cream',
      'retinol sreum',
      'night cream',
    ]);
    const journeys = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder, lexicon: lex });
    expect(journeys.length).toBeGreaterThan(0);
    expect(texts(journeys).some((t) => t.includes('sreum'))).toBe(false);
    // Without platform statistics the user's own majority spelling would win.
    const alone = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder });
    expect(texts(alone).some((t) => t.includes('sreum'))).toBe(true);
    expect(texts(journeys)).toContain('retinol serum');
  });

  it('never names or lists a reordering: it folds into the order most users write', () => {
    const lex = handLexicon(
      [
        ['drawer divider', 400, 90, 380],
        ['divider drawer', 12, 4, 10],
        ['drawer', 500, 120, 100],
        ['divider', 300, 100, 60],
      ],
      1000,
    );
    const events = searches(['divider drawer', 'divider drawer', 'divider drawer', 'drawer divider', 'divider drawer']);
    const journeys = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder, lexicon: lex });
    expect(journeys.length).toBeGreaterThan(0);
    expect(texts(journeys)).not.toContain('divider drawer');
    expect(texts(journeys)).toContain('drawer divider');
    expect(journeys[0].name.toLowerCase()).not.toMatch(/^divider drawer/);
  });

  it('shows a keyword the way most users write it', () => {
    const lex = handLexicon([['kitchen cabinet', 400, 90, 380, 'kitchen cabinets']], 1000);
    const events = searches(['Kitchen Cabinet', 'kitchen cabinet', 'kitchen cabinet', 'kitchen cabinet']);
    const [journey] = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder, lexicon: lex });
    expect(journey.keywords.map((k) => k.text)).toContain('kitchen cabinets');
  });

  it('names and lists a phrase with the words the user wrote between its content words', () => {
    const events = searches(['museum of clocks hours', 'Museum of Clocks', 'museum of clocks', 'museum of clocks']);
    const [journey] = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder });
    expect(journey.name).toBe('Museum of Clocks');
    expect(journey.keywords.map((k) => k.text)).toContain('museum of clocks');
    expect(texts([journey])).not.toContain('museum clocks');
  });

  it('never lists a pair cut out of longer texts that nobody wrote whole', () => {
    const events = searches(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? 'closet organization clear bins' : 'closet organization')),
    );
    const journeys = buildJourneysFromExtracted('u', events, { now: FIXTURE_NOW, embedder });
    expect(journeys.length).toBeGreaterThan(0);
    expect(texts(journeys)).toContain('closet organization');
    expect(texts(journeys)).not.toContain('organization clear');
    expect(texts(journeys)).not.toContain('clear bins');
  });
});
