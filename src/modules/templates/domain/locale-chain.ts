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

/**
 * The variants a recipient of a canonical locale reads, most specific first: its {@link localeChain}, with
 * the script its language is written in there before the bare language when the locale does not name it
 * (`zh-TW` → `zh-TW`, `zh-Hant-TW`, `zh-Hant`, `zh`), so Traditional Chinese readers get `zh-Hant` files
 * rather than the `zh` ones, and `zh-CN` readers get `zh-Hans` ones when a template has them.
 */
export function variantChain(locale: string): string[] {
  const chain = localeChain(locale);
  let given: Intl.Locale;
  try {
    given = new Intl.Locale(locale);
  } catch {
    return chain;
  }
  const { script } = given.maximize();
  if (given.script || !script) return chain;
  const language = chain.at(-1)!;
  const scripted = [given.region && `${language}-${script}-${given.region}`, `${language}-${script}`];
  return [...new Set([...chain.slice(0, -1), ...scripted.filter((l): l is string => !!l), language])];
}

/**
 * Whether text in canonical locale `a` reads as text in `b`: the same language in the same script
 * (`fr` and `fr-CA` do; `zh` and `zh-TW` do not, as `zh` is written in Simplified characters).
 */
export function sameWriting(a: string, b: string): boolean {
  if (languageOf(a) !== languageOf(b)) return false;
  try {
    return new Intl.Locale(a).maximize().script === new Intl.Locale(b).maximize().script;
  } catch {
    return true;
  }
}

/** The language subtag of a canonical locale (`fr-CA` → `fr`). */
export function languageOf(locale: string): string {
  return locale.split('-')[0];
}

/** Whether a file's locale suffix is written in canonical form (`fr-CA`, not `fr_ca` or `FR-ca`). */
export function isCanonicalLocale(suffix: string): boolean {
  return canonicalLocale(suffix) === suffix;
}

/** The direction text of a canonical locale runs in: `rtl` for Arabic, Hebrew, Persian and the like, else `ltr`. */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  try {
    const parsed = new Intl.Locale(locale) as Intl.Locale & {
      getTextInfo?: () => { direction?: string };
      textInfo?: { direction?: string };
    };
    const info = parsed.getTextInfo?.() ?? parsed.textInfo;
    return info?.direction === 'rtl' ? 'rtl' : 'ltr';
  } catch {
    return 'ltr';
  }
}
