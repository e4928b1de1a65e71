/**
 * Locale fallback for templates: a recipient's locale resolves to the most specific variant a
 * template has, dropping one subtag at a time (`fr-CA` → `fr` → the template's default files).
 */
const canonicalCache = new Map<string, string | null>();

/** The canonical BCP 47 form of `raw` (`fr_ca` → `fr-CA`), or undefined when it is not a locale. */
export function canonicalLocale(raw: string): string | undefined {
  let canonical = canonicalCache.get(raw);
  if (canonical === undefined) {
    try {
      canonical = Intl.getCanonicalLocales(raw.trim().replace(/_/g, '-'))[0] ?? null;
    } catch {
      canonical = null;
    }
    if (canonicalCache.size > 10_000) canonicalCache.clear();
    canonicalCache.set(raw, canonical);
  }
  return canonical ?? undefined;
}

/** The fallback chain of a canonical locale, most specific first: `zh-Hant-TW` → `zh-Hant`, `zh`. */
export function localeChain(locale: string): string[] {
  const subtags = locale.split('-');
  // Extensions (`-u-co-phonebk`, `-x-...`) start at the first single-letter subtag; they never stand alone.
  const singleton = subtags.findIndex((subtag, i) => i > 0 && subtag.length === 1);
  const base = singleton === -1 ? subtags : subtags.slice(0, singleton);
  const chain = singleton === -1 ? [] : [locale];
  for (let n = base.length; n >= 1; n--) chain.push(base.slice(0, n).join('-'));
  return chain;
}

/** The language subtag of a canonical locale (`fr-CA` → `fr`). */
export function languageOf(locale: string): string {
  return locale.split('-')[0];
}

/** Whether a file's locale suffix is written in canonical form (`fr-CA`, not `fr_ca` or `FR-ca`). */
export function isCanonicalLocale(suffix: string): boolean {
  return canonicalLocale(suffix) === suffix;
}
