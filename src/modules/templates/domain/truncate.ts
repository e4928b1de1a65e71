import { PLACEHOLDER } from './links';
import { TemplateError } from './templates.errors';

/** How a length limit counts: characters as a reader sees them for visible text, UTF-8 bytes of the JSON-escaped text for payloads. */
export type Measure = (text: string) => number;

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// Printable ASCII: one character per code unit (a CR LF pair is one, so line breaks go the long way).
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/**
 * A code point that may join its neighbour in one cluster (Unicode's grapheme rules): CR (of CR LF), marks
 * (accents, virama, variation selectors), format characters (joiners, tags), regional indicators (flags),
 * emoji modifiers (skin tones), Hangul jamo and syllables, the Lo spacing marks of Thai and Lao, halfwidth
 * kana voicing marks, and the Prepend characters. Text without one is one cluster per code point, as is most
 * text in Latin, Greek, Cyrillic, Hebrew, Arabic or CJK without accents written apart, so it is counted
 * without segmenting it.
 */
// The class lists the emoji modifiers alone, as code points that may join, which is what the rule warns of.
const MAY_JOIN =
  // eslint-disable-next-line no-misleading-character-class
  /[\r\p{M}\p{Cf}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u1100-\u11FF\uA960-\uA97F\uAC00-\uD7FF\u0E33\u0EB3\uFF9E\uFF9F\u0D4E\u{110BD}\u{110CD}\u{111C2}\u{111C3}\u{1193F}\u{11941}\u{11A3A}\u{11A84}-\u{11A89}\u{11D46}\u{11F02}]/u;

/**
 * Counts grapheme clusters, the characters a reader sees: an emoji is one, be it a flag (two code
 * points), a family joined by zero-width joiners, or one with a skin tone; so is a letter with its accents.
 */
export const graphemes: Measure = (text) => {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let n = 0;
  if (!MAY_JOIN.test(text)) {
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      // A surrogate pair is one code point: count its high half only.
      if (unit < 0xdc00 || unit > 0xdfff) n++;
    }
    return n;
  }
  for (const _ of GRAPHEMES.segment(text)) n++;
  return n;
};

/** UTF-8 bytes of the text once escaped inside a JSON string. */
export const jsonBytes: Measure = (text) => Buffer.byteLength(JSON.stringify(text), 'utf8') - 2;

export const ELLIPSIS = '…';
const TRAILING_PUNCTUATION = /[\s\p{Po}\p{Pd}\p{Ps}]+$/u;

const segmenters = new Map<string, { words: Intl.Segmenter; graphemes: Intl.Segmenter }>();

function segmentersFor(locale: string | undefined) {
  const key = locale ?? '';
  let found = segmenters.get(key);
  if (!found) {
    found = {
      words: new Intl.Segmenter(locale, { granularity: 'word' }),
      graphemes: new Intl.Segmenter(locale, { granularity: 'grapheme' }),
    };
    segmenters.set(key, found);
  }
  return found;
}

/** Offsets strictly inside a link placeholder, where no cut may fall. */
function placeholderSpans(text: string): Array<[number, number]> {
  return [...text.matchAll(PLACEHOLDER)].map((m) => [m.index, m.index + m[0].length]);
}

interface Cut {
  /** Offset in the text. */
  index: number;
  /** Measure of the text before it. */
  kept: number;
}

/** The last boundary between segments that `accept` allows, with everything before it within `budget`. */
function lastCut(
  segments: Iterable<Intl.SegmentData>,
  budget: number,
  measure: Measure,
  spans: Array<[number, number]>,
  accept: (before: Intl.SegmentData, after: Intl.SegmentData) => boolean,
): Cut {
  let best: Cut = { index: 0, kept: 0 };
  let used = 0;
  let previous: Intl.SegmentData | undefined;
  for (const segment of segments) {
    if (previous && accept(previous, segment) && !spans.some(([s, e]) => segment.index > s && segment.index < e)) {
      best = { index: segment.index, kept: used };
    }
    used += measure(segment.segment);
    if (used > budget) return best;
    previous = segment;
  }
  return best;
}

const isSpace = (s: Intl.SegmentData) => /^\s+$/u.test(s.segment);

/** How `truncate` cuts: the measure of its limit (graphemes by default), the locale's words, the mark it ends with. */
export interface TruncateOptions {
  measure?: Measure;
  locale?: string;
  ellipsis?: string;
}

/**
 * How much of `text` to keep, before an ellipsis, for it to fit `limit`: undefined when the whole text
 * fits, else the length of the kept start (0 when nothing fits). See `truncateWords`.
 */
export function keptLength(text: string, limit: number, options: TruncateOptions = {}): number | undefined {
  const measure = options.measure ?? graphemes;
  if (measure(text) <= limit) return undefined;
  const budget = limit - measure(options.ellipsis ?? ELLIPSIS);
  if (budget <= 0) return 0;
  const { words, graphemes: clusters } = segmentersFor(options.locale);
  const spans = placeholderSpans(text);
  let cut = lastCut(words.segment(text), budget, measure, spans, (before, after) => !isSpace(before) && isSpace(after));
  // Text without spaces (Japanese, a long compound) would lose too much: cut between word segments.
  if (cut.kept < budget / 2) {
    const anyWord = lastCut(words.segment(text), budget, measure, spans, () => true);
    if (anyWord.kept > cut.kept) cut = anyWord;
  }
  if (cut.index === 0) cut = lastCut(clusters.segment(text), budget, measure, spans, () => true);
  return text.slice(0, cut.index).replace(TRAILING_PUNCTUATION, '').length;
}

/**
 * Shortens `text` to at most `limit` (by `measure`) and ends it with an ellipsis: cut after the last
 * whole word that fits; in text without spaces (Japanese, one long word) after the last word segment or
 * grapheme. Never splits a surrogate pair, a grapheme cluster or a link placeholder.
 */
export function truncateWords(text: string, limit: number, options: TruncateOptions = {}): string {
  const kept = keptLength(text, limit, options);
  if (kept === undefined) return text;
  return kept ? text.slice(0, kept) + (options.ellipsis ?? ELLIPSIS) : '';
}

/** The limit of `{{truncate text limit}}`: a whole number of at least 1 (a numeric string counts). */
export function truncateLimit(raw: unknown): number {
  const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    const message = `truncate needs a limit that is a whole number of at least 1, got ${JSON.stringify(raw)}`;
    throw new TemplateError('templates.invalid-value', message, 'truncate');
  }
  return limit;
}
