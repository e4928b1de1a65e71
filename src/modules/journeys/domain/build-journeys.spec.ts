import fc from 'fast-check';
import { RawEvent } from '../../../lib/synthetic/population';
import { BuildOptions, buildJourneysFromExtracted, buildUserJourneys, toUserJourneysRecord } from './build-journeys';
import { keywordOverlap } from './identity';
import { Journey, UserJourneysRecord } from './journey';
import { DEFAULT_JOURNEY_PARAMS } from './journey-params';
import { extractEventKeywords } from './keywords';
import { extractAll, FIXTURE_NOW, fixtureUser, trainFixtureEmbedder } from './testing/platform.fixture';

const embedder = trainFixtureEmbedder();
const options = { now: FIXTURE_NOW, embedder };

function build(events: readonly RawEvent[], extra: Partial<BuildOptions> = {}): Journey[] {
  return buildJourneysFromExtracted(events[0]?.userId ?? 'u', extractAll(events), { ...options, ...extra });
}

function expectRecordShape(record: UserJourneysRecord): void {
  expect(Object.keys(record).sort()).toEqual(['generatedAt', 'journeys', 'userId']);
  expect(new Date(record.generatedAt).toISOString()).toBe(record.generatedAt);
  let previousScore = Infinity;
  for (const j of record.journeys) {
    expect(Object.keys(j).sort()).toEqual(['confidence', 'keywords', 'name', 'score', 'stage', 'type']);
    expect(j.name.length).toBeGreaterThan(0);
    expect(['ongoing', 'ended']).toContain(j.stage);
    expect(['situational', 'evergreen']).toContain(j.type);
    expect(j.confidence).toBeGreaterThanOrEqual(0);
    expect(j.confidence).toBeLessThanOrEqual(1);
    expect(j.score).toBeLessThanOrEqual(previousScore);
    previousScore = j.score;
    expect(j.keywords.length).toBeGreaterThan(0);
    expect(j.keywords[0].weight).toBe(1);
    for (const k of j.keywords) expect(k.weight).toBeGreaterThan(0);
  }
}

describe('buildUserJourneys', () => {
  const user = fixtureUser(1);
  const journeys = build(user.events);

  it('finds the planted journeys of a user, named after their own keywords', () => {
    expect(journeys.length).toBe(user.truth.length);
    expect(journeys.map((j) => j.rank)).toEqual(journeys.map((_, i) => i + 1));
    expect(new Set(journeys.map((j) => j.id)).size).toBe(journeys.length);
    for (const j of journeys) expect(j.keywords.map((k) => k.text.toLowerCase())).toContain(j.name.toLowerCase());
  });

  it('fills every field the ranking and the service read', () => {
    for (const j of journeys) {
      expect(j.embedding).toHaveLength(embedder.dimension);
      expect(Math.hypot(...j.embedding)).toBeCloseTo(1, 5);
      expect(j.engagement.events).toBe(j.engagement.timestamps.length);
      expect(j.engagement.firstSeen.getTime()).toBe(j.engagement.timestamps[0]);
      expect(j.engagement.lastSeen.getTime()).toBe(j.engagement.timestamps[j.engagement.events - 1]);
      expect(Object.values(j.engagement.actions).reduce((a, b) => a + b, 0)).toBe(j.engagement.events);
      expect(j.engagement.distinctWeeks).toBeLessThanOrEqual(j.engagement.distinctDays);
      expect(j.keywords.length).toBeLessThanOrEqual(DEFAULT_JOURNEY_PARAMS.maxKeywords);
    }
  });

  it('accepts raw activity events and matches the extracted path', () => {
    const parsed = user.events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) }));
    expect(buildUserJourneys(parsed, options)).toEqual(journeys);
  });

  it('returns no journeys for a user with no events or a single event', () => {
    expect(buildUserJourneys([], { ...options, userId: 'u0' })).toEqual([]);
    expect(build(user.events.slice(0, 1))).toEqual([]);
    expectRecordShape(toUserJourneysRecord('u0', [], FIXTURE_NOW));
  });

  it('builds journeys from item titles alone when an install sends nothing else', () => {
    const titles = [
      'White Leather Sneakers',
      'Chunky White Sneakers',
      'Retro Running Sneakers',
      'Canvas Sneakers Outfit',
    ];
    const views = Array.from({ length: 12 }, (_, i) =>
      extractEventKeywords({
        type: 'view',
        occurredAt: new Date(FIXTURE_NOW.getTime() - i * 86_400_000),
        item: { id: `i${i % 4}`, title: titles[i % 4] },
      }),
    );
    const [journey] = buildJourneysFromExtracted('u', views, options);
    expect(journey.keywords.map((k) => k.text)).toContain('sneakers');
  });

  it('calls a hobby visited on two days four months apart a returning (evergreen) interest, still ongoing', () => {
    const visit = (daysAgo: number, minute: number) =>
      extractEventKeywords({
        type: 'search',
        occurredAt: new Date(FIXTURE_NOW.getTime() - daysAgo * 86_400_000 + minute * 60_000),
        query: minute % 2 ? 'sourdough starter' : 'sourdough bread recipe',
      });
    const [journey] = buildJourneysFromExtracted(
      'u',
      [visit(120, 0), visit(120, 3), visit(2, 0), visit(2, 5)],
      options,
    );
    expect(journey.keywords.map((k) => k.text)).toContain('sourdough');
    expect({ type: journey.type, stage: journey.stage }).toEqual({ type: 'evergreen', stage: 'ongoing' });
  });

  it('handles a user with thousands of events within the journey caps', () => {
    const heavy = fixtureUser(2, 2500);
    const result = build(heavy.events);
    expect(heavy.events.length).toBeGreaterThan(1500);
    expect(result.length).toBeGreaterThanOrEqual(heavy.truth.length);
    const ongoing = result.filter((j) => j.stage === 'ongoing').length;
    expect(ongoing).toBeLessThanOrEqual(DEFAULT_JOURNEY_PARAMS.maxOngoingJourneys);
    expect(result.length - ongoing).toBeLessThanOrEqual(Math.max(0, DEFAULT_JOURNEY_PARAMS.maxJourneys - ongoing));
  });

  it('keeps every ongoing journey, the latest session first, and ended ones only in the room left', () => {
    const search = (daysAgo: number, minute: number, query: string) =>
      extractEventKeywords({
        type: 'search',
        occurredAt: new Date(FIXTURE_NOW.getTime() - daysAgo * 86_400_000 + minute * 60_000),
        query,
      });
    const steady = (query: string, offset: number) => [3, 4, 5, 6, 7, 8].map((day) => search(day, offset, query));
    const burst = (daysAgo: number, queries: string[]) => queries.map((q, i) => search(daysAgo, i * 3, q));
    const events = [
      ...steady('tomato seedlings', 0),
      ...steady('marathon training plan', 120),
      ...burst(45, ['wedding dress lace', 'lace wedding dress', 'wedding dress sleeves']),
      ...burst(0.01, ['tax return deadline', 'tax return form', 'tax return deductions']),
    ];
    const names = (journeys: Journey[]) => journeys.map((j) => j.keywords.map((k) => k.text).join(' '));
    const rankOf = (word: string, journeys: Journey[]) => names(journeys).findIndex((n) => n.includes(word)) + 1;
    const withParams = (maxJourneys: number, maxOngoingJourneys: number) =>
      buildJourneysFromExtracted('u', events, {
        ...options,
        params: { ...DEFAULT_JOURNEY_PARAMS, maxJourneys, maxOngoingJourneys },
      });
    const all = withParams(8, 64);
    expect(all).toHaveLength(4);
    expect(all.find((j) => names([j])[0].includes('wedding'))?.stage).toBe('ended');
    // Three ongoing journeys outnumber a cap of two: all three stay, the ended one goes.
    const capped = withParams(2, 64);
    expect(capped).toHaveLength(3);
    expect(capped.every((j) => j.stage === 'ongoing')).toBe(true);
    expect(rankOf('wedding', capped)).toBe(0);
    expect(capped.map((j) => j.rank)).toEqual([1, 2, 3]);
    // Room for one ongoing journey: the latest session's, and the ended one fills the place left, in score order.
    const one = withParams(2, 1);
    expect(one).toHaveLength(2);
    expect(rankOf('tax', one)).toBeGreaterThan(0);
    expect(rankOf('wedding', one)).toBeGreaterThan(0);
    expect(one.map((j) => j.score)).toEqual([...one.map((j) => j.score)].sort((a, b) => b - a));
  });

  it('places an event by a word the user chose once, without listing that word', () => {
    const search = (minutesAgo: number, query: string) =>
      extractEventKeywords({
        type: 'search',
        occurredAt: new Date(FIXTURE_NOW.getTime() - minutesAgo * 60_000),
        query,
      });
    const events = [
      search(40, 'sourdough starter'),
      search(38, 'sourdough starter feeding'),
      search(36, 'sourdough bread recipe'),
      search(34, 'banneton'),
    ];
    const [journey] = buildJourneysFromExtracted('u', events, options);
    expect(journey.keywords.map((k) => k.text)).toContain('sourdough');
    expect(journey.keywords.map((k) => k.text)).not.toContain('banneton');
    expect(journey.engagement.events).toBe(4);
  });

  it('keeps journey ids across a rebuild with more activity', () => {
    const earlier = build(user.events.slice(0, -5));
    const later = build(user.events, { previous: earlier });
    const continuing = later.filter((j) => earlier.some((e) => e.id === j.id));
    expect(continuing.length).toBeGreaterThanOrEqual(earlier.length - 1);
  });

  it('with keyword recurrence lists fewer, likelier words, strongest first, with the real weights', () => {
    const byUse = build(user.events, { params: { ...DEFAULT_JOURNEY_PARAMS, minKeywordUse: 0.5 } });
    const byWeight = build(user.events, { params: { ...DEFAULT_JOURNEY_PARAMS, minKeywordUse: 0 } });
    expect(embedder.recurrence).toBeDefined();
    for (const j of byUse) expect(j.keywords.map((k) => k.text.toLowerCase())).toContain(j.name.toLowerCase());
    // Weights stay relative to the strongest listed keyword, whatever the order.
    for (const j of byUse) expect(Math.max(...j.keywords.map((k) => k.weight))).toBe(1);
    for (const j of byUse) expect(j.keywords[0].weight).toBe(1);
    const total = (list: Journey[]) => list.reduce((n, j) => n + j.keywords.length, 0);
    expect(total(byUse)).toBeLessThan(total(byWeight));
  });

  it('writes the offline record in rank order, cut to the top N', () => {
    const record = toUserJourneysRecord(user.events[0].userId, [...journeys].reverse(), FIXTURE_NOW, 2);
    expectRecordShape(record);
    expect(record.journeys.map((j) => j.name)).toEqual(journeys.slice(0, 2).map((j) => j.name));
  });
});

describe('buildUserJourneys properties', () => {
  const user = fixtureUser(3, 60);
  const extracted = extractAll(user.events);
  const baseline = buildJourneysFromExtracted('u', extracted, options);

  it('does not depend on the order of the input events', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(extracted, { minLength: extracted.length, maxLength: extracted.length }),
        (shuffled) => {
          expect(buildJourneysFromExtracted('u', shuffled, options)).toEqual(baseline);
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });

  it('does not split a strong journey when one unrelated event is added', () => {
    const strongest = [...baseline].sort((a, b) => b.confidence - a.confidence)[0];
    const words = [
      'weather',
      'tomorrow',
      'lottery',
      'crossword',
      'podcast',
      'zodiac',
      'wallpaper',
      'kitchen',
      'yoga',
      'tattoo',
    ];
    const unrelated = fc.record({
      query: fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
      daysAgo: fc.double({ min: 0, max: 240, noNaN: true }),
    });
    fc.assert(
      fc.property(unrelated, ({ query, daysAgo }) => {
        const event = extractEventKeywords({
          type: 'search',
          query,
          occurredAt: new Date(FIXTURE_NOW.getTime() - daysAgo * 86_400_000),
        });
        const after = buildJourneysFromExtracted('u', [...extracted, event], options);
        const best = Math.max(...after.map((j) => keywordOverlap(j.keywords, strongest.keywords)));
        expect(best).toBeGreaterThanOrEqual(0.8);
      }),
      { numRuns: 25, seed: 7 },
    );
  });

  it('always produces records matching the output contract', () => {
    const vocabulary = [
      'kitchen cabinets',
      'quartz countertop',
      'yoga poses',
      'yin yoga',
      'sourdough starter',
      'tokyo itinerary',
      'weather',
      'the best',
      '',
      '!!!',
    ];
    const event = fc.record({
      type: fc.constantFrom('search', 'view', 'save', 'click', 'board' as const),
      text: fc.constantFrom(...vocabulary),
      minutesAgo: fc.integer({ min: 0, max: 400 * 24 * 60 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), (drafts) => {
        const events = drafts.map((d) =>
          extractEventKeywords({
            type: d.type,
            occurredAt: new Date(FIXTURE_NOW.getTime() - d.minutesAgo * 60_000),
            ...(d.type === 'search'
              ? { query: d.text }
              : d.type === 'board'
                ? { board: { name: d.text } }
                : { item: { id: d.text, title: d.text } }),
          }),
        );
        expectRecordShape(toUserJourneysRecord('u', buildJourneysFromExtracted('u', events, options), FIXTURE_NOW));
      }),
      { numRuns: 40, seed: 3 },
    );
  });
});
