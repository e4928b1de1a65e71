/**
 * A cheap language check for short generated copy: the writing system first, then counts of common
 * function words for the Latin-script languages we know. It only has to catch a reply in the wrong
 * language, not identify every language.
 */

const STOPWORDS: Record<string, ReadonlySet<string>> = {
  en: new Set('the and you your for with are is to of it this that our on in be at from ready'.split(' ')),
  fr: new Set('le la les et vous votre vos pour avec est des une un du au aux ce cette sur dans pas qui'.split(' ')),
  de: new Set('der die das und sie ihr ihre für mit ist zu den dem ein eine nicht auf im wir'.split(' ')),
  es: new Set('el la los las y tu tus para con es de del un una por que en su sus al'.split(' ')),
  it: new Set('il lo la gli le e tuo tua per con è di del della un una che in sul al'.split(' ')),
  pt: new Set('o a os as e seu sua para com é de do da um uma que em no na ao'.split(' ')),
  nl: new Set('de het en je jouw voor met is van een op in dat niet wij ook'.split(' ')),
};

const SCRIPTS: Array<[string, RegExp]> = [
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Arabic', /\p{Script=Arabic}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Devanagari', /\p{Script=Devanagari}/u],
  ['Thai', /\p{Script=Thai}/u],
  ['Hangul', /\p{Script=Hangul}/u],
  ['Han', /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}/u],
  ['Latin', /\p{Script=Latin}/u],
];

const LANGUAGE_SCRIPT: Record<string, string> = {
  ru: 'Cyrillic',
  uk: 'Cyrillic',
  bg: 'Cyrillic',
  sr: 'Cyrillic',
  el: 'Greek',
  ar: 'Arabic',
  fa: 'Arabic',
  he: 'Hebrew',
  hi: 'Devanagari',
  th: 'Thai',
  ko: 'Hangul',
  ja: 'Han',
  zh: 'Han',
};

/** The writing system most letters of `text` belong to. */
export function dominantScript(text: string): string | undefined {
  const counts = new Map<string, number>();
  for (const char of text) {
    const script = SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0];
    if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Why `text` is not in the language of `locale`, or undefined when it plausibly is (or we cannot tell). */
export function languageMismatch(text: string, locale: string): string | undefined {
  const language = locale.toLowerCase().split(/[-_]/)[0];
  const expectedScript = LANGUAGE_SCRIPT[language] ?? (STOPWORDS[language] ? 'Latin' : undefined);
  const script = dominantScript(text);
  if (expectedScript && script && script !== expectedScript) return `written in ${script} script, not ${language}`;
  const expected = STOPWORDS[language];
  if (!expected) return undefined;
  const words = text
    .toLowerCase()
    .split(/[^\p{L}']+/u)
    .filter(Boolean);
  const hits = (set: ReadonlySet<string>) => words.filter((w) => set.has(w)).length;
  const own = hits(expected);
  let best: [string, number] = [language, own];
  for (const [other, set] of Object.entries(STOPWORDS)) {
    const count = hits(set);
    if (count > best[1]) best = [other, count];
  }
  // Short copy has few function words: call it another language only on a clear margin.
  if (best[0] !== language && best[1] >= 2 && best[1] >= 2 * own) return `reads as ${best[0]}, not ${language}`;
  return undefined;
}
