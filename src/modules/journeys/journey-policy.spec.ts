import { loadConfig } from '../../config';
import { DEFAULT_SAFETY_POLICY } from './domain/journey-safety';
import { audiencePolicyOf, isNotifiable, journeyPolicyOf, notifyBarrier } from './journey-policy';
import { MAX_STORED_TIMESTAMPS, toStoredJourney } from './stored-journey';
import { Journey } from './domain/journey';

describe('journey policy from configuration', () => {
  it("withholds from audiences the blocked terms, and the sensitive categories' terms unless notified about", () => {
    const { journeys } = loadConfig({ NODE_ENV: 'test', JOURNEYS_BLOCKED_TERMS: 'casino' });
    const withheld = audiencePolicyOf(journeys);
    expect(withheld.allowSensitive).toBe(false);
    expect(withheld.withheldTerms).toEqual(expect.arrayContaining(['casino', 'porn', 'pregnancy test', 'debt']));
    const notifying = audiencePolicyOf({ ...journeys, notifySensitive: true });
    expect(notifying.allowSensitive).toBe(true);
    expect(notifying.withheldTerms).toContain('casino');
    expect(notifying.withheldTerms).not.toContain('debt');
  });

  it('adds configured blocked terms to the defaults for safety and naming', () => {
    const { journeys } = loadConfig({ NODE_ENV: 'test', JOURNEYS_BLOCKED_TERMS: 'Crypto, casino ,' });
    const policy = journeyPolicyOf(journeys);
    expect(policy.safety.blockedTerms).toEqual([...DEFAULT_SAFETY_POLICY.blockedTerms, 'crypto', 'casino']);
    expect(policy.naming.blockedTerms).toEqual(policy.safety.blockedTerms);
    expect(policy.safety.sensitiveCategories).toBe(DEFAULT_SAFETY_POLICY.sensitiveCategories);
    expect(policy).toMatchObject({ signatureKeywords: 3, notifySensitive: false, defaultLocale: 'en' });
  });

  it.each([
    [{ JOURNEYS_INCREMENTAL_CRON: 'daily' }, /JOURNEYS_INCREMENTAL_CRON must be a cron pattern/],
    [{ JOURNEYS_SHARD_SIZE: '0' }, /JOURNEYS_SHARD_SIZE must be an integer between 1 and 10000/],
    [{ OPENAI_BASE_URL: 'ftp://llm' }, /OPENAI_BASE_URL must be a URL/],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(message);
  });

  it('excludes sensitive journeys from notifications unless the deployment opts in', () => {
    const sensitive = { sensitiveCategories: ['health'] };
    expect(isNotifiable(sensitive, { notifySensitive: false })).toBe(false);
    expect(isNotifiable(sensitive, { notifySensitive: true })).toBe(true);
    expect(isNotifiable({ sensitiveCategories: [] }, { notifySensitive: false })).toBe(true);
  });
});

describe(notifyBarrier.name, () => {
  const policy = { safety: { ...DEFAULT_SAFETY_POLICY, blockedTerms: ['casino'] }, notifySensitive: false };
  const stored = (name: string, sensitiveCategories: string[], ...keywords: string[]) => ({
    name,
    keywords: keywords.map((text) => ({ text })),
    sensitiveCategories,
  });

  it.each<[string, ReturnType<typeof stored>, boolean, string | undefined]>([
    ['an ordinary journey', stored('Kitchen Remodel', [], 'backsplash'), false, undefined],
    [
      "a term today's policy holds sensitive, stored before it did",
      stored('Test Results', [], 'pregnancy test'),
      false,
      'sensitive: fertility',
    ],
    ['a category stored at build time', stored('Chemo Meals', ['health']), false, 'sensitive: health'],
    ['both, once each', stored('IVF Budget', ['finance', 'fertility'], 'debt'), false, 'sensitive: fertility, finance'],
    [
      'a blocked term, even where sensitive journeys are notified',
      stored('Casino Night', []),
      true,
      'blocked term "casino"',
    ],
    ['a sensitive journey where the deployment opts in', stored('Test Results', [], 'pregnancy test'), true, undefined],
  ])('%s', (_case, journey, notifySensitive, expected) => {
    expect(notifyBarrier(journey, { ...policy, notifySensitive })).toBe(expected);
  });
});

describe(toStoredJourney.name, () => {
  it('keeps the keyword name, records how the journey was named and caps engagement timestamps', () => {
    const timestamps = Array.from({ length: MAX_STORED_TIMESTAMPS + 50 }, (_, i) => i);
    const journey = {
      id: 'j_1',
      name: 'Kitchen Remodel',
      keywords: [{ text: 'kitchen remodel', weight: 1 }],
      stage: 'ongoing',
      type: 'situational',
      confidence: 0.8,
      score: 0.5,
      rank: 1,
      embedding: [1, 0],
      engagement: {
        events: timestamps.length,
        actions: {},
        sources: ['search'],
        distinctDays: 3,
        distinctWeeks: 1,
        firstSeen: new Date(0),
        lastSeen: new Date(1),
        timestamps,
      },
    } satisfies Journey;
    const stored = toStoredJourney(journey, { name: 'Kitchen Makeover', namedBy: 'llm' }, ['finance']);
    expect(stored).toMatchObject({
      name: 'Kitchen Makeover',
      namedBy: 'llm',
      keywordName: 'Kitchen Remodel',
      sensitiveCategories: ['finance'],
    });
    expect(stored.engagement.timestamps).toHaveLength(MAX_STORED_TIMESTAMPS);
    expect(stored.engagement.timestamps[0]).toBe(50);
    expect(stored.engagement.events).toBe(timestamps.length);
  });
});
