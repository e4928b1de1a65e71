import { canonicalLocale, isCanonicalLocale, languageOf, localeChain } from './locale-chain';

describe('locale chain', () => {
  it.each([
    ['fr-CA', 'fr-CA', ['fr-CA', 'fr']],
    ['fr_ca', 'fr-CA', ['fr-CA', 'fr']],
    ['EN', 'en', ['en']],
    ['zh-hant-tw', 'zh-Hant-TW', ['zh-Hant-TW', 'zh-Hant', 'zh']],
    ['de-DE-u-co-phonebk', 'de-DE-u-co-phonebk', ['de-DE-u-co-phonebk', 'de-DE', 'de']],
  ])('%s', (raw, canonical, chain) => {
    expect(canonicalLocale(raw)).toBe(canonical);
    expect(localeChain(canonical)).toEqual(chain);
    expect(languageOf(canonical)).toBe(chain.at(-1));
  });

  it('rejects what is not a locale', () => {
    expect(canonicalLocale('not a locale')).toBeUndefined();
    expect(canonicalLocale('')).toBeUndefined();
    expect(isCanonicalLocale('fr-ca')).toBe(false);
    expect(isCanonicalLocale('fr-CA')).toBe(true);
  });
});
