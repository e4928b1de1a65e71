/**
 * What the platform knows about keywords across all users, learnt with the platform embedder: how many users
 * use a keyword (generic words are used by everyone), how people write it, whether it was ever a whole
 * phrase, and which rare keywords are misspellings or reorderings of a common one.
 */
export interface Lexicon {
  /** Users the shares are counted over (users with a few events at least). */
  readonly users: number;
  /** Share of those users whose history mentions the key; undefined for a key the lexicon does not hold. */
  userShare(key: string): number | undefined;
  /** Events in which the key was a whole text (query, board name, annotation or short title), not a part. */
  wholeCount(key: string): number;
  /** The surface most users wrote for the key. */
  surface(key: string): string | undefined;
  /** The common keyword a rare key misspells or reorders, or undefined when the key is its own form. */
  canonical(key: string): string | undefined;
}

/** The serialized statistics, one entry per vocabulary key in vocabulary order. */
export interface LexiconJson {
  users: number;
  counts: number[];
  userCounts: number[];
  wholeCounts: number[];
  /** The most written surface, or '' when it equals the key. */
  surfaces: string[];
}

/** A variant folds into a keyword written whole at least this many times as often as the variant occurs, and this often. */
const CANONICAL_RATIO = 4;
const CANONICAL_MIN_COUNT = 5;
/** Typos are looked for in words this long at least: short words differ by one letter and mean other things. */
const TYPO_MIN_LENGTH = 5;
/**
 * A key used often enough for its vector to say where people use it folds only into a form at least this
 * similar in meaning. A misspelling is used where its correct form is, so the two vectors agree; a real word
 * one letter from a common one (a place and a music genre, a name and an adjective) is used elsewhere, and its
 * vector says so. Unrelated keys sit below it: 95% of random pairs of keys score under 0.3 on the real tag and
 * search sets measured.
 */
export const VARIANT_MIN_SIMILARITY = 0.3;
/**
 * Uses a key needs before its vector is held against a fold. A vector learnt from a handful of uses reflects
 * those few sessions: a random misspelling of a word that many journeys share ("recipe") meets a different
 * context each time, and its vector lands far from the word's own until it has been used many times.
 */
export const VARIANT_MEANING_MIN_COUNT = 20;
const CACHE_LIMIT = 100_000;

/** Whether two words are one edit apart (insert, delete, substitute or swap two adjacent letters). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

function deletions(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** The lexicon of a trained platform model. */
export class PlatformLexicon implements Lexicon {
  private readonly index = new Map<string, number>();
  private typoIndex?: Map<string, number[]>;
  private orderIndex?: Map<string, number[]>;
  private readonly canonicalCache = new Map<string, string | undefined>();

  /**
   * `similarity` is the cosine of two keys' vectors in the model the lexicon was learnt with: without it (a
   * lexicon on its own) a variant folds by spelling and counts alone.
   */
  constructor(
    readonly vocab: readonly string[],
    private readonly stats: LexiconJson,
    private readonly similarity?: (a: string, b: string) => number,
  ) {
    vocab.forEach((key, i) => this.index.set(key, i));
  }

  get users(): number {
    return this.stats.users;
  }

  userShare(key: string): number | undefined {
    const i = this.index.get(key);
    return i === undefined || this.stats.users === 0 ? undefined : this.stats.userCounts[i] / this.stats.users;
  }

  wholeCount(key: string): number {
    const i = this.index.get(key);
    return i === undefined ? 0 : this.stats.wholeCounts[i];
  }

  surface(key: string): string | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.stats.surfaces[i] || key;
  }

  canonical(key: string): string | undefined {
    if (this.canonicalCache.has(key)) return this.canonicalCache.get(key);
    const found = this.findCanonical(key);
    if (this.canonicalCache.size >= CACHE_LIMIT) this.canonicalCache.clear();
    this.canonicalCache.set(key, found);
    return found;
  }

  /** Share of the vocabulary used by at least `users` users: a platform's shared words, not a few users' own. */
  sharedShare(users: number): number {
    const counts = this.stats.userCounts;
    return counts.length === 0 ? 0 : counts.filter((n) => n >= users).length / counts.length;
  }

  toJSON(): LexiconJson {
    return this.stats;
  }

  /**
   * The most frequent common key that is one typo or one reordering away from `key` and, when the model has
   * seen `key` used often, means the same: a reordering can change the meaning as much as a letter can.
   */
  private findCanonical(key: string): string | undefined {
    const own = this.index.get(key);
    const need = Math.max(CANONICAL_MIN_COUNT, CANONICAL_RATIO * (own === undefined ? 0 : this.stats.counts[own]));
    const tokens = key.split(' ');
    const candidates = new Set<number>();
    for (const c of this.orderIndexed().get([...tokens].sort().join(' ')) ?? []) candidates.add(c);
    tokens.forEach((word, position) => {
      if (word.length < TYPO_MIN_LENGTH) return;
      for (const d of deletions(word)) {
        for (const c of this.typoIndexed().get(maskKey(tokens, position, d)) ?? []) candidates.add(c);
      }
    });
    let best: number | undefined;
    for (const c of candidates) {
      const other = this.vocab[c];
      // The common form must be one people write (whole queries, names), not words that recur inside titles.
      if (other === key || this.stats.wholeCounts[c] < need || !isVariantOf(tokens, other.split(' '))) continue;
      if (best !== undefined && this.stats.wholeCounts[c] <= this.stats.wholeCounts[best]) continue;
      if (this.meansOtherThan(key, own, other)) continue;
      best = c;
    }
    return best === undefined ? undefined : this.vocab[best];
  }

  /** Whether the model has seen `key` used enough to tell, and its vector is far from `other`'s. */
  private meansOtherThan(key: string, own: number | undefined, other: string): boolean {
    if (!this.similarity || own === undefined || this.stats.counts[own] < VARIANT_MEANING_MIN_COUNT) return false;
    return this.similarity(key, other) < VARIANT_MIN_SIMILARITY;
  }

  private common(): number[] {
    return this.vocab.flatMap((_, i) => (this.stats.wholeCounts[i] >= CANONICAL_MIN_COUNT ? [i] : []));
  }

  private orderIndexed(): Map<string, number[]> {
    if (!this.orderIndex) {
      this.orderIndex = new Map();
      for (const i of this.common()) {
        const tokens = this.vocab[i].split(' ');
        if (tokens.length < 2) continue;
        const sorted = [...tokens].sort().join(' ');
        this.orderIndex.set(sorted, [...(this.orderIndex.get(sorted) ?? []), i]);
      }
    }
    return this.orderIndex;
  }

  /** Common keys under every "one word with one letter deleted" mask, so a typo finds them by lookup. */
  private typoIndexed(): Map<string, number[]> {
    if (!this.typoIndex) {
      this.typoIndex = new Map();
      for (const i of this.common()) {
        const tokens = this.vocab[i].split(' ');
        tokens.forEach((word, position) => {
          if (word.length < TYPO_MIN_LENGTH) return;
          for (const d of deletions(word)) {
            const mask = maskKey(tokens, position, d);
            this.typoIndex!.set(mask, [...(this.typoIndex!.get(mask) ?? []), i]);
          }
        });
      }
    }
    return this.typoIndex;
  }
}

function maskKey(tokens: readonly string[], position: number, replacement: string): string {
  return `${position}|${tokens.map((t, i) => (i === position ? replacement : t)).join(' ')}`;
}

/**
 * Same words in another order, or the same phrase but one long word one edit apart that keeps its first
 * letter. People rarely mistype a word's first letter, and two words that differ there are usually two words
 * (a name and an adjective, an object and a place), not one written twice.
 */
function isVariantOf(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  if (a.length > 1 && [...a].sort().join(' ') === [...b].sort().join(' ')) return true;
  let differing = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (differing >= 0) return false;
    differing = i;
  }
  if (differing < 0) return false;
  const [x, y] = [a[differing], b[differing]];
  return Math.min(x.length, y.length) >= TYPO_MIN_LENGTH && x[0] === y[0] && oneEditApart(x, y);
}

/** What decides when a keyword is generic: used by more than `genericShare` of users, on a large enough platform. */
export interface SpecificityParams {
  genericShare: number;
  genericMinUsers: number;
}

/**
 * How specific a keyword is, in (0, 1]: 1 unless more than `genericShare` of the platform's users use it, then
 * genericShare / share ("home" used by 60% of users with genericShare 0.15 keeps a quarter of its weight).
 * A small platform's shares say more about its few users than about words, so below `genericMinUsers` nothing
 * counts as generic.
 */
export function specificityOf(key: string, lexicon: Lexicon | undefined, params: SpecificityParams): number {
  if (!lexicon || lexicon.users < params.genericMinUsers) return 1;
  const share = lexicon.userShare(key);
  return share === undefined || share <= params.genericShare ? 1 : params.genericShare / share;
}
