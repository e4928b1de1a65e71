import fc from 'fast-check';
import { ELLIPSIS, graphemes, jsonBytes, truncateWords } from './truncate';

const PLACEHOLDER = '__jc_0123456789abcdef_c1__';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('truncateWords', () => {
  it.each([
    ['keeps text within the limit', 'Kitchen remodel ideas', 40, 'Kitchen remodel ideas'],
    ['cuts after the last whole word', 'Kitchen remodel ideas for you', 20, 'Kitchen remodel…'],
    ['drops punctuation left at the cut', 'Tiles, paint, lights and more', 14, 'Tiles, paint…'],
    ['cuts a single long word on a grapheme', 'Supercalifragilisticexpialidocious', 10, 'Supercali…'],
    ['keeps an emoji whole (surrogate pair)', 'ab😀😀😀😀', 5, 'ab😀😀…'],
    ['keeps a family emoji whole (grapheme cluster)', 'x👨‍👩‍👧y and more text', 3, 'x👨‍👩‍👧…'],
    ['cuts text without spaces between words', '今日は良い天気ですね。散歩に行きましょう', 12, '今日は良い天気ですね…'],
    ['returns nothing when only the ellipsis would fit', 'Kitchen', 1, ''],
    [
      'counts a flag as the one character it shows',
      '\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}\u{1F1EE}\u{1F1F9}',
      3,
      '\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}\u{1F1EE}\u{1F1F9}',
    ],
    [
      'cuts between flags, never inside one',
      '\u{1F1EB}\u{1F1F7}\u{1F1E9}\u{1F1EA}\u{1F1EE}\u{1F1F9}',
      2,
      '\u{1F1EB}\u{1F1F7}…',
    ],
    ['counts a family emoji as one', 'Trip 👨‍👩‍👧 to Rome', 14, 'Trip 👨‍👩‍👧 to Rome'],
    ['counts a letter with a combining accent as one', 'Cafe\u0301 cre\u0300me', 10, 'Cafe\u0301 cre\u0300me'],
  ])('%s', (_name, text, limit, expected) => {
    const result = truncateWords(text, limit, { locale: 'en' });
    expect(result).toBe(expected);
    expect(graphemes(result)).toBeLessThanOrEqual(limit);
  });

  it('never cuts inside a link placeholder: it keeps it whole or drops it', () => {
    const text = `Open ${PLACEHOLDER} now please`;
    expect(truncateWords(text, 34)).toBe(`Open ${PLACEHOLDER}…`);
    expect(truncateWords(`Open ${PLACEHOLDER}`, 20)).toBe('Open…');
    expect(truncateWords(`${PLACEHOLDER}xyz`, 20)).toBe('');
  });

  it('counts what a reader sees: grapheme clusters', () => {
    expect(graphemes('ab')).toBe(2);
    expect(graphemes('\u{1F1EB}\u{1F1F7} 👨‍👩‍👧 e\u0301 \r\n')).toBe(7);
  });

  it('counts as the grapheme segmenter does in every script, the quick way or not', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const clusters = (text: string) => [...segmenter.segment(text)].length;
    const pieces = [
      'Été à Noël ',
      'Ελλάδα ',
      'Москва ',
      'שלום ',
      'مرحبا بك ',
      '東京タワー ',
      'ｶﾞｷﾞ ',
      '한국어 ',
      '\u1100\u1161\u11A8 ',
      'ภาษาไทย ',
      'ກຳ ',
      'नमस्ते क्षत्रिय ',
      'தமிழ் ',
      'e\u0301 ',
      '\u{1F1EB}\u{1F1F7}',
      '👍🏽 ',
      '👨‍👩‍👧 ',
      '❤️ ',
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
      '\r\n',
      '\n',
      '\t',
      '\u00AD',
      '\u0600\u0661',
      '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ',
      '😀',
      'x',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(graphemes(text)).toBe(clusters(text));
      }),
      { numRuns: 2000 },
    );
    for (const piece of pieces) expect(graphemes(piece)).toBe(clusters(piece));
  });

  it('measures bytes of the JSON form when asked', () => {
    const text = 'é'.repeat(10) + ' ' + 'ü'.repeat(10); // two bytes per letter
    const result = truncateWords(text, 25, { measure: jsonBytes });
    expect(result).toBe('é'.repeat(10) + ELLIPSIS);
    expect(jsonBytes(result)).toBeLessThanOrEqual(25);
    expect(jsonBytes('a"b\n')).toBe(6);
  });

  it('always fits, keeps a prefix of the text and never leaves a lone surrogate', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 0, max: 40 }), (text, limit) => {
        const result = truncateWords(text, limit);
        expect(graphemes(result)).toBeLessThanOrEqual(Math.max(limit, graphemes(text) <= limit ? limit : 0));
        if (result !== text && result !== '') {
          expect(result.endsWith(ELLIPSIS)).toBe(true);
          expect(text.startsWith(result.slice(0, -ELLIPSIS.length))).toBe(true);
        }
        expect(result).not.toMatch(LONE_SURROGATE);
      }),
    );
  });
});
