import { charNgrams, fnv1a, ngramSimilarity } from './ngrams';
import { contentTokens, keywordKey, normalizeForMatching, normalizeText, singularize, titleCase } from './normalize';

describe('normalizeText', () => {
  it.each([
    ['  White   KITCHEN-Cabinets! ', 'white kitchen cabinets'],
    ['ｆｕｌｌｗｉｄｔｈ Ｔｅｘｔ', 'fullwidth text'],
    ["Mom's kitchen", 'mom kitchen'],
    ['Café  crème', 'café crème'],
    ['cafe\u0301 decomposed', 'café decomposed'],
    // Marks are part of the word: a vowel sign, a Thai tone mark or a Hebrew point never splits it.
    ['नमस्ते दुनिया', 'नमस्ते दुनिया'],
    ['ร้านกาแฟ, เสื้อผ้า', 'ร้านกาแฟ เสื้อผ้า'],
    ['שָׁלוֹם!', 'שָׁלוֹם'],
    ['Việt Nam', 'việt nam'],
  ])('%j -> %j', (input, expected) => expect(normalizeText(input)).toBe(expected));
});

describe('normalizeForMatching', () => {
  it.each([
    ['Café  crème', 'cafe creme'],
    ['cafe\u0301', 'cafe'],
    ['Việt Nam', 'viet nam'],
    ['Ελληνικά', 'ελληνικα'],
    ['Ёлка мой', 'елка мой'],
    ['İstanbul', 'istanbul'],
    ["Mom's kitchen", 'mom kitchen'],
    // Other scripts keep their marks: दाल (lentils) and दिल (heart) stay two words, as do ปืน (gun) and ปูน (cement).
    ['दाल दिल', 'दाल दिल'],
    ['ปืน ปูน', 'ปืน ปูน'],
    ['שָׁלוֹם', 'שָׁלוֹם'],
  ])('%j -> %j', (input, expected) => expect(normalizeForMatching(input)).toBe(expected));
});

describe('contentTokens', () => {
  it('drops stopwords, generic modifiers, numbers and single letters', () => {
    expect(contentTokens('Best ideas for a small kitchen 2026 x')).toEqual(['small', 'kitchen']);
    expect(contentTokens('   ')).toEqual([]);
    expect(contentTokens('www.homedepot.com')).toEqual(['homedepot']);
  });
});

describe('singularize', () => {
  it.each([
    ['cabinets', 'cabinet'],
    ['dishes', 'dish'],
    ['puppies', 'puppy'],
    ['boxes', 'box'],
    ['tomatoes', 'tomato'],
    ['glass', 'glass'],
    ['hummus', 'hummus'],
    ['yoga', 'yoga'],
    ['gas', 'gas'],
    ['basis', 'basis'],
  ])('%s -> %s', (plural, singular) => expect(singularize(plural)).toBe(singular));

  it('merges the plural and singular of a phrase into one key', () => {
    expect(keywordKey(['kitchen', 'cabinets'])).toBe(keywordKey(['kitchen', 'cabinet']));
  });
});

describe('ngrams', () => {
  it('pads with word boundaries', () => {
    expect(charNgrams('ab', 3, 3)).toEqual(['<ab', 'ab>']);
  });

  it('scores a misspelling close and a different word far', () => {
    expect(ngramSimilarity('kitchen cabinet', 'kitchen cabnet')).toBeGreaterThan(0.6);
    expect(ngramSimilarity('kitchen cabinet', 'wedding dress')).toBeLessThan(0.1);
    expect(ngramSimilarity('same', 'same')).toBe(1);
  });

  it('hashes deterministically', () => {
    expect(fnv1a('kitchen')).toBe(fnv1a('kitchen'));
    expect(fnv1a('kitchen')).not.toBe(fnv1a('kitchens'));
  });

  it('title-cases for display', () => {
    expect(titleCase('kitchen remodel')).toBe('Kitchen Remodel');
    expect(titleCase('garden on a budget')).toBe('Garden on a Budget');
    expect(titleCase('the tour of the lakes')).toBe('The Tour of the Lakes');
    expect(titleCase('cats vs dogs')).toBe('Cats vs Dogs');
    expect(titleCase('what to look for')).toBe('What to Look For');
    expect(titleCase('3d printing')).toBe('3d Printing');
  });
});
