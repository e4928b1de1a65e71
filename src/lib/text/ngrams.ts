/** Character n-grams and their hashes: the sub-word signal that catches misspellings and unseen words. */

/** Character n-grams of `text` padded with word boundaries, for every n in [min, max]. */
export function charNgrams(text: string, min = 3, max = 4): string[] {
  const padded = `<${text}>`;
  const grams: string[] = [];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
  }
  return grams;
}

/** FNV-1a 32-bit hash of a string, stable across platforms. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const TRIGRAM_CACHE_LIMIT = 100_000;
const trigramCache = new Map<string, Set<string>>();

function trigrams(text: string): Set<string> {
  let grams = trigramCache.get(text);
  if (!grams) {
    if (trigramCache.size >= TRIGRAM_CACHE_LIMIT) trigramCache.clear();
    trigramCache.set(text, (grams = new Set(charNgrams(text, 3, 3))));
  }
  return grams;
}

/** Cosine similarity of two texts' character trigram sets (Ochiai coefficient), in [0, 1]. */
export function ngramSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const ga = trigrams(a);
  const gb = trigrams(b);
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return ga.size === 0 || gb.size === 0 ? 0 : shared / Math.sqrt(ga.size * gb.size);
}
