import { audienceQueryOf, journeyRuleFailure, needsJourney, userRuleFailure } from './audience-rules';
import { CampaignDefinition, campaignDefinitionSchema, JourneyRules } from './campaign-definition';

const NOW = new Date('2026-03-01T12:00:00Z');

function definition(audience: object, copy = 'journey-template'): CampaignDefinition {
  return campaignDefinitionSchema.parse({
    id: 'c',
    name: 'C',
    owner: 'o',
    channel: 'push',
    schedule: { type: 'local-hour', hour: 9 },
    template: 'push/journey-nudge',
    copy: { variant: copy },
    audience,
  });
}

const journey = {
  name: 'Kitchen Remodel',
  keywords: [{ text: 'backsplash tile' }],
  stage: 'ongoing' as const,
  type: 'situational' as const,
  confidence: 0.6,
};

describe('journeyRuleFailure', () => {
  it.each([
    [{}, undefined],
    [{ stages: ['ended'] }, 'audience.journeys.stages'],
    [{ types: ['evergreen'] }, 'audience.journeys.types'],
    [{ minConfidence: 0.61 }, 'audience.journeys.minConfidence'],
    [{ minConfidence: 0.6 }, undefined],
    [{ include: ['tile'] }, undefined],
    [{ include: ['Kitchen remodel'] }, undefined],
    [{ include: ['garden'] }, 'audience.journeys.include'],
    [{ exclude: ['Backsplash'] }, 'audience.journeys.exclude'],
  ])('%j -> %s', (rules, rule) => {
    expect(journeyRuleFailure(journey, rules as JourneyRules)?.rule).toBe(rule);
  });
});

describe('userRuleFailure', () => {
  const user = { locale: 'fr-CA', attributes: { plan: 'pro' }, lastActiveAt: new Date('2026-02-20T00:00:00Z') };

  it.each([
    [{ locales: ['fr'] }, undefined],
    [{ locales: ['en', 'fr-ca'] }, undefined],
    [{ locales: ['en'] }, 'audience.locales'],
    [{ attributes: { plan: ['pro', 'team'] } }, undefined],
    [{ attributes: { plan: 'free' } }, 'audience.attributes.plan'],
    [{ lastActiveWithinDays: 30 }, undefined],
    [{ lastActiveWithinDays: 7 }, 'audience.lastActiveWithinDays'],
  ])('%j -> %s', (audience, rule) => {
    const failure = userRuleFailure(user, definition(audience), NOW);
    expect(failure?.rule).toBe(rule);
  });

  it('names the value the user had', () => {
    expect(userRuleFailure({ ...user, lastActiveAt: undefined }, definition({ lastActiveWithinDays: 7 }), NOW)).toEqual(
      {
        rule: 'audience.lastActiveWithinDays',
        value: 'never',
        expected: 'active within 7 days',
      },
    );
  });
});

describe('audienceQueryOf', () => {
  it('turns rules into indexed conditions, consent included', () => {
    const query = audienceQueryOf(
      definition({
        journeys: { stages: ['ongoing'], minConfidence: 0.5, include: ['Tile'] },
        locales: ['FR'],
        lastActiveWithinDays: 10,
      }),
      { now: NOW, allowSensitive: false },
    );
    expect(query).toMatchObject({
      consentFor: 'push',
      lastActiveSince: new Date('2026-02-19T12:00:00Z'),
      locales: ['fr'],
      journey: { include: ['tile'], allowSensitive: false },
    });
    expect(query.journey!.tags).toContain('ongoing|evergreen|050|n');
    expect(query.journey!.tags).not.toContain('ongoing|evergreen|049|n');
  });

  it('requires a journey for journey copy, not for interest copy without journey rules', () => {
    expect(needsJourney(definition({}, 'interest'))).toBe(false);
    expect(needsJourney(definition({}, 'journey-llm'))).toBe(true);
    expect(
      audienceQueryOf(definition({}, 'interest'), { now: NOW, allowSensitive: false, withoutConsent: true }),
    ).toEqual({});
  });
});
