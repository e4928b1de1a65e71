import { variantChain } from '../../templates/domain/locale-chain';
import { journeyFactsOf, journeyTag, journeyTerms, localeTags, NO_LOCALE, tagsMatching } from './audience-facts';

describe('audience facts', () => {
  it('tags a journey by stage, type, whole-percent confidence and sensitivity', () => {
    expect(journeyTag('ongoing', 'situational', 0.657, false)).toBe('ongoing|situational|065|n');
    expect(journeyTag('ended', 'evergreen', 1, true)).toBe('ended|evergreen|100|s');
  });

  it.each([
    [0.65, 0.65, true],
    [0.6499, 0.65, false],
    [0.7, 0.65, true],
    [0.29, 0.3, false],
  ])('a journey at %s meets minConfidence %s: %s', (confidence, minConfidence, expected) => {
    const tags = tagsMatching({ stages: ['ongoing'], minConfidence, allowSensitive: false });
    expect(tags.includes(journeyTag('ongoing', 'evergreen', confidence, false))).toBe(expected);
  });

  it('leaves sensitive journeys out unless allowed, and other stages out', () => {
    const tags = tagsMatching({ stages: ['ongoing'], allowSensitive: false });
    expect(tags).not.toContain(journeyTag('ongoing', 'situational', 0.9, true));
    expect(tags).not.toContain(journeyTag('ended', 'situational', 0.9, false));
    expect(tagsMatching({ allowSensitive: true })).toContain(journeyTag('ended', 'situational', 0.9, true));
  });

  it('derives terms from the name, keywords and their words', () => {
    expect(journeyTerms('Kitchen Remodel', [{ text: "Backsplash Tile's" }])).toEqual([
      'backsplash',
      'backsplash tile',
      'kitchen',
      'kitchen remodel',
      'remodel',
      'tile',
    ]);
    const facts = journeyFactsOf([
      {
        id: 'j1',
        name: 'Chemo Meals',
        keywords: [],
        stage: 'ongoing',
        type: 'situational',
        confidence: 0.5,
        sensitiveCategories: ['health'],
      },
    ]);
    expect(facts.journeyTags).toEqual(['ongoing|situational|050|s']);
  });

  it('tags a locale with its language, and a missing one with NO_LOCALE', () => {
    expect(localeTags('fr-CA')).toEqual(['fr-ca', 'fr-latn-ca', 'fr-latn', 'fr']);
    expect(localeTags('en')).toEqual(['en-latn', 'en']);
    expect(localeTags(undefined)).toEqual([NO_LOCALE]);
  });

  it('tags a locale with every shorter form, so a rule for a script or region variant matches', () => {
    expect(localeTags('zh-Hant-TW')).toEqual(['zh-hant-tw', 'zh-hant', 'zh']);
    expect(localeTags('sr_Latn_RS')).toEqual(['sr-latn-rs', 'sr-latn', 'sr']);
    // Extensions never stand alone: the locale itself, then its base forms.
    expect(localeTags('de-DE-u-co-phonebk')).toEqual(['de-de-u-co-phonebk', 'de-de', 'de-latn-de', 'de-latn', 'de']);
  });

  it('answers to every variant a message to the locale is written in, so a rule for zh-Hant covers zh-TW readers', () => {
    expect(localeTags('zh-TW')).toEqual(['zh-tw', 'zh-hant-tw', 'zh-hant', 'zh']);
    expect(localeTags('zh_hk')).toContain('zh-hant');
    expect(localeTags('zh-CN')).toContain('zh-hans');
    expect(localeTags('zh-TW')).not.toContain('zh-hans');
    for (const locale of ['zh-TW', 'zh-Hant-TW', 'zh-CN', 'sr-RS', 'fr-CA', 'en']) {
      expect(localeTags(locale)).toEqual(variantChain(locale).map((l) => l.toLowerCase()));
    }
  });
});
