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
  sv: new Set('och att det som en ett är på för med till av den inte har du din ditt dina vi'.split(' ')),
  da: new Set('og at det som en et er på for med til af den ikke har du din dit dine vi jer'.split(' ')),
  nb: new Set('og at det som en et er på for med til av den ikke har du din ditt dine vi dere'.split(' ')),
  pl: new Set('w na z że się nie jest dla twój twoja twoje twoich jak od po są czy już oraz może'.split(' ')),
  tr: new Set('ve bir bu için ile da de senin sizin çok daha gibi olarak ne hazır'.split(' ')),
  fi: new Set('ja on ei se että kanssa sinun teidän tämä mutta kun niin myös ovat'.split(' ')),
};

/** Whether a lower-case word is a common function word of a language we know ("the", "pour", "und"). */
export function isFunctionWord(word: string): boolean {
  return Object.values(STOPWORDS).some((words) => words.has(word));
}

/** Languages known under another code: Norwegian as Bokmål. */
const LANGUAGE_ALIASES: Record<string, string> = { no: 'nb' };

/** ISO 15924 script subtags of locales (`sr-Latn`, `zh-Hant`) and the writing system each names. */
const SCRIPT_SUBTAGS: Record<string, string> = {
  latn: 'Latin',
  cyrl: 'Cyrillic',
  grek: 'Greek',
  arab: 'Arabic',
  hebr: 'Hebrew',
  deva: 'Devanagari',
  thai: 'Thai',
  hang: 'Hangul',
  kore: 'Hangul',
  hans: 'Han',
  hant: 'Han',
  jpan: 'Han',
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
  const [first, ...rest] = locale.toLowerCase().split(/[-_]/);
  const language = LANGUAGE_ALIASES[first] ?? first;
  // A script the locale names (`sr-Latn`) says how its language is written there.
  const named = rest.find((subtag) => subtag.length === 4 && SCRIPT_SUBTAGS[subtag]);
  const expectedScript =
    (named && SCRIPT_SUBTAGS[named]) ?? LANGUAGE_SCRIPT[language] ?? (STOPWORDS[language] ? 'Latin' : undefined);
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
