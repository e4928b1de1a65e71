import { contentTokens, keywordKey, normalizeText } from '../../../src/lib/text/normalize';

/**
 * How journey names read against what their users wrote, over the journeys of the whole-history builds. A
 * name goes into notifications: it should read the way the user wrote it (no words left out of the middle:
 * "garden on a budget", not "garden budget") and be something the user wrote whole, not a word cut out of a
 * longer text ("olive" of "olive wood cutting board").
 */
export interface NameFit {
  journeys: number;
  /** The name's words occur in this order, next to each other, in one of the user's texts. */
  asWritten: number;
  /** The name is one of the user's texts (stopwords and plurals aside): a whole query, board name, tag, title. */
  wholeText: number;
  /** A single word the user only ever wrote inside longer texts. */
  fragmentWord: number;
}

export function emptyNameFit(): NameFit {
  return { journeys: 0, asWritten: 0, wholeText: 0, fragmentWord: 0 };
}

const keyOf = (text: string) => keywordKey(contentTokens(text));

/** Adds one user's journey names to `fit`, held against the user's texts (normalised, as `writtenTexts`). */
export function addNameFit(fit: NameFit, names: readonly string[], texts: readonly string[]): void {
  if (names.length === 0) return;
  const padded = texts.map((t) => ` ${t} `);
  const wholeKeys = new Set(texts.map(keyOf));
  for (const name of names) {
    const normalized = normalizeText(name);
    fit.journeys++;
    if (padded.some((t) => t.includes(` ${normalized} `))) fit.asWritten++;
    if (wholeKeys.has(keyOf(name))) fit.wholeText++;
    else if (contentTokens(name).length === 1) fit.fragmentWord++;
  }
}
