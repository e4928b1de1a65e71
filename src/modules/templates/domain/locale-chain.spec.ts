import { canonicalLocale, isCanonicalLocale, languageOf, localeChain, variantChain } from './locale-chain';

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

  it.each([
    ['zh-TW', ['zh-TW', 'zh-Hant-TW', 'zh-Hant', 'zh']],
    ['zh', ['zh-Hans', 'zh']],
    ['zh-Hant-TW', ['zh-Hant-TW', 'zh-Hant', 'zh']],
    ['sr-RS', ['sr-RS', 'sr-Cyrl-RS', 'sr-Cyrl', 'sr']],
  ])('%s reads the variants of its script', (locale, chain) => {
    expect(variantChain(locale)).toEqual(chain);
  });

  it('rejects what is not a locale', () => {
    expect(canonicalLocale('not a locale')).toBeUndefined();
    expect(canonicalLocale('')).toBeUndefined();
    expect(isCanonicalLocale('fr-ca')).toBe(false);
    expect(isCanonicalLocale('fr-CA')).toBe(true);
  });
});
