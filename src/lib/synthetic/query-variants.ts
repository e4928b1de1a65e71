import { Prng } from './prng';

const MODIFIERS = ['ideas', 'inspiration', 'tips', 'best', 'cheap', '2026', 'for beginners', 'diy'];

/** Toggles the plural of one word ("cabinets" <-> "cabinet"), as users type both forms. */
function togglePlural(word: string): string {
  if (word.length < 4) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  if (word.endsWith('y') && !/[aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

/** Drops, doubles or swaps one inner letter: the misspellings search logs are full of. */
function typo(word: string, prng: Prng): string {
  if (word.length < 5) return word;
  const i = prng.int(1, word.length - 3);
  switch (prng.int(0, 2)) {
    case 0:
      return word.slice(0, i) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i] + word.slice(i);
    default:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  }
}

/** A query as a real user would type it: sometimes pluralised, misspelled, capitalised or padded with a modifier. */
export function varyQuery(query: string, prng: Prng): string {
  let words = query.split(' ');
  if (prng.chance(0.2)) {
    const i = prng.int(0, words.length - 1);
    words[i] = togglePlural(words[i]);
  }
  if (prng.chance(0.08)) {
    const i = prng.int(0, words.length - 1);
    words[i] = typo(words[i], prng);
  }
  if (prng.chance(0.15)) words = [...words, prng.pick(MODIFIERS)];
  const text = words.join(' ');
  return prng.chance(0.1) ? text.replace(/\b\w/g, (c) => c.toUpperCase()) : text;
}
